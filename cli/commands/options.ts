// Options shared by several commands, parsed once at the boundary.
import { Option } from 'commander';
import { resolve } from 'node:path';

export const DEFAULT_INVENTORY = 'desa.yaml';

export const fileOption = () =>
  new Option('-f, --file <path>', 'the inventory file').default(process.env.DESA_FILE ?? DEFAULT_INVENTORY);

export const jsonOption = () => new Option('--json', 'print a machine-readable result on stdout');

/** The inventory path as given (for messages) and absolute (for I/O). */
export function inventoryPath(given: string): { shown: string; abs: string } {
  return { shown: given, abs: resolve(given) };
}
