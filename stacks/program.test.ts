import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../core/inventory/load.ts';
import { hostConflicts, selectProgram } from './program.ts';
import { INVENTORY } from '../test/fixtures/pulumi-mocks.ts';

const { inventory } = loadInventory(INVENTORY);

describe('selectProgram', () => {
  it('runs the platform program on the platform stack', () => {
    expect(selectProgram('platform', inventory)).toEqual({ kind: 'platform' });
  });

  it('runs the desa program for the unit whose stack is the stack name', () => {
    const s = selectProgram('setia-asih', inventory);
    expect(s.kind === 'desa' && s.unit.code).toBe('32.16.01.1007');
  });

  it('fails with a suggestion for an unknown stack', () => {
    expect(() => selectProgram('lambangsri', inventory)).toThrow(/Did you mean `lambangsari`\?/);
    try {
      selectProgram('dev', inventory);
    } catch (e) {
      expect(pulumi.RunError.isInstance(e)).toBe(true);
    }
  });
});

describe('hostConflicts', () => {
  it('finds no unit on the default mail host', () => {
    expect(hostConflicts(inventory, ['mail.desa.bekasikab.go.id'])).toEqual([]);
  });

  it('reports a unit whose subdomain a platform host would shadow', () => {
    expect(hostConflicts(inventory, ['tambun.desa.bekasikab.go.id'])).toEqual([
      expect.stringContaining('Tambun (32.16.06.2004) has the host tambun.desa.bekasikab.go.id'),
    ]);
  });
});
