// A stack's configuration as it ran: its settings file in the work directory (what desa wrote, and any
// key set by hand with `pulumi config`), read into the same typed Settings the programs use
// (stacks/settings.ts). The local target gives the services sync the platform's actual settings.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type Settings, settingsFromConfig } from '../../stacks/settings.ts';
import type { StateDirs } from '../paths.ts';

/** The `config:` of Pulumi.<stack>.yaml in the stack's work directory; empty when it has none yet. */
export function readStackConfigFile(dirs: StateDirs, stack: string): Record<string, unknown> {
  const file = join(dirs.work, stack, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) return {};
  const doc = parse(readFileSync(file, 'utf8')) as { config?: Record<string, unknown> } | null;
  return { ...doc?.config };
}

/** The settings a stack runs with: `given` (what every stack gets), then its own settings file over it. */
export function stackSettings(dirs: StateDirs, stack: string, given: Record<string, unknown>): Settings {
  return settingsFromConfig({ ...given, ...readStackConfigFile(dirs, stack) });
}
