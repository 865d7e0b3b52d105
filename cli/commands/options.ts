// Options shared by several commands, parsed once at the boundary.
import { Option } from 'commander';

export const DEFAULT_INVENTORY = 'desa.yaml';

export const fileOption = () =>
  new Option('-f, --file <path>', 'the inventory file').default(process.env.DESA_FILE ?? DEFAULT_INVENTORY);

export const jsonOption = () => new Option('--json', 'print a machine-readable result on stdout');
