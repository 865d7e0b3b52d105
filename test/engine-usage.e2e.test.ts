// Wrong usage of the engine commands is refused before anything starts: no local cluster, no state,
// exit 2, a message that names the mistake. Cheap: nothing here reaches the engine.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { desa, STACK_TRACE } from './helpers/cli.ts';
import { tempInventory } from './helpers/inventory.ts';

describe('engine commands refuse wrong usage before starting anything', () => {
  const cases: [string, string[], RegExp][] = [
    ['up with an unknown slug', ['up', '--only', 'sumberjya'], /--only sumberjya: no desa.*\n.*Did you mean `sumberjaya`/],
    ['plan with an unknown slug', ['plan', '--only', 'nowhere'], /--only nowhere: no desa/],
    ['destroy without --only', ['destroy', '--yes'], /--only/],
    ['destroy of the platform', ['destroy', '--only', 'platform', '--yes'], /platform stack serves every desa/],
    ['destroy without a terminal and without --yes', ['destroy', '--only', 'sumberjaya'], /needs --yes without a terminal/],
    ['rotate of an unknown account', ['rotate', 'sumberjaya', '--account', 'bendahara'], /--account bendahara: sumberjaya has no such account[\s\S]*kepala-desa, sekretaris-desa, operator, storage/],
    ['rotate of a kelurahan without generated credentials', ['rotate', 'setia-asih'], /no mailboxes, storage or OpenSID/],
    ['a concurrency of 0', ['up', '--concurrency', '0'], /--concurrency must be a whole number from 1 to 32/],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: exit 2, nothing created`, () => {
      const { dir, file } = tempInventory();
      const r = desa([...args, '--file', file]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK_TRACE);
      expect(existsSync(join(dir, '.desa'))).toBe(false);
    });
  }
});
