import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AbortError, EXIT } from '../../core/errors.ts';
import { openForEdit } from '../../core/inventory/edit.ts';
import { gatherOnboard, type Ask } from './gather.ts';

// Read only: nothing here commits.
const session = openForEdit(fileURLToPath(new URL('../../desa.yaml', import.meta.url)));

describe('gatherOnboard', () => {
  it('without a terminal, names what is missing', async () => {
    await expect(gatherOnboard(session, {}, undefined)).rejects.toThrow('--code is needed');
    await expect(gatherOnboard(session, { code: '32.16.06.2099' }, undefined)).rejects.toThrow('--name is needed');
    await expect(gatherOnboard(session, { code: '32.16.06.2004' }, undefined)).rejects.toThrow('is already onboarded');
  });

  it('asks in the form for an onboarded desa given without changes, and applies its answer', async () => {
    const asked: unknown[] = [];
    const ask: Ask = async (_s, _given, initial) => {
      asked.push(initial);
      return { code: '32.16.06.2004', template: 'opensid' };
    };
    const { plan, proposal } = await gatherOnboard(session, { code: '32.16.06.2004' }, ask);
    expect(asked).toEqual([{ code: '32.16.06.2004', isNew: false }]);
    expect(plan.edits.map((e) => [e.path.join('.'), e.value])).toEqual([['services.site.template', 'opensid']]);
    expect(proposal.diff).toContain('+        template: opensid');
  });

  it('does not ask when the flags say everything, and reports a cancelled form as interrupted', async () => {
    const never: Ask = async () => expect.unreachable('the form was opened');
    const { plan } = await gatherOnboard(session, { code: '32.16.06.2004', storageQuota: '30Gi' }, never);
    expect(plan.edits).toHaveLength(1);
    const cancelled = gatherOnboard(session, {}, async () => undefined);
    await expect(cancelled).rejects.toBeInstanceOf(AbortError);
    // In the form's language: Indonesian unless --lang en.
    await expect(cancelled).rejects.toMatchObject({ exitCode: EXIT.interrupted, message: 'Dibatalkan; tidak ada yang ditulis.' });
    await expect(gatherOnboard(session, {}, async () => undefined, 'en')).rejects.toMatchObject({ message: 'Cancelled; nothing was written.' });
  });
});
