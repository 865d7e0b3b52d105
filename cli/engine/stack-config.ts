// A stack's configuration as it ran: its settings file in the work directory (what desa wrote, and any
// key set by hand with `pulumi config`), read into the same typed Settings the programs use
// (stacks/settings.ts). The local target gives the services sync the platform's actual settings.
import { type Settings, settingsFromConfig } from '../../stacks/settings.ts';
import type { StateDirs } from '../paths.ts';
import { readStackConfigFile } from './stack-config-file.ts';

export { readStackConfigFile };

/** The settings a stack runs with: `given` (what every stack gets), then its own settings file over it. */
export function stackSettings(dirs: StateDirs, stack: string, given: Record<string, unknown>): Settings {
  return settingsFromConfig({ ...given, ...readStackConfigFile(dirs, stack) });
}
