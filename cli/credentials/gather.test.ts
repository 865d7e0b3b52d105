// gatherSheetData on the real desa.yaml and a file backend of made-up checkpoints. Only the engine
// boundary is mocked: readSecretOutputs, which would run the Pulumi CLI to decrypt.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AbortError } from '../../core/errors.ts';
import { DESA_YAML } from '../../test/fixtures/report.ts';
import { checkpoint, desaOutputs, PLATFORM_OUTPUTS, writeStacks } from '../../test/fixtures/credentials.ts';
import { gatherSheetData, servingTemplate } from './gather.ts';

const { reveal } = vi.hoisted(() => ({ reveal: vi.fn<typeof import('../engine/state-engine.ts').readSecretOutputs>() }));
vi.mock('../engine/state-engine.ts', () => ({ readSecretOutputs: reveal }));

const ROLES = ['kepala-desa', 'sekretaris-desa', 'operator'];
const PASSWORDS = Object.fromEntries(ROLES.map((r, i) => [`sumberjaya.${r}@desa.bekasikab.go.id`, `pw-${r}-${i}`]));
const STORAGE = { bucket: 'desa-sumberjaya', accessKeyId: 'desa-sumberjaya', secretAccessKey: 'sk-sumberjaya' };

function backend(stacks: Record<string, string>): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'credentials-'));
  writeStacks(dir, stacks);
  return { DESA_STATE_DIR: dir };
}
const gather = (slug: string, env: NodeJS.ProcessEnv) => gatherSheetData({ file: DESA_YAML, slug, env });
const rejection = (p: Promise<unknown>) => p.then(() => expect.unreachable('it succeeded'), (e: unknown) => e as AbortError);

const provisioned = () => ({ platform: checkpoint('platform', PLATFORM_OUTPUTS), sumberjaya: checkpoint('sumberjaya', desaOutputs('sumberjaya', ROLES, true)) });
const revealed = (slug: string, outputs: Record<string, unknown>) => new Map([[slug, outputs]]);

// Each test sets what the engine returns and clears the calls itself: a beforeEach that touches the mock
// makes vitest report a rejection the code under test caught (vitest-dev/vitest#10845).

describe('gatherSheetData', () => {
  it('a provisioned desa: desa.yaml for who it is, its decrypted outputs, the platform mail host and storage endpoint', async () => {
    const env = backend(provisioned());
    reveal.mockClear().mockResolvedValue(revealed('sumberjaya', { ...desaOutputs('sumberjaya', ROLES, true), mailPasswords: PASSWORDS, storageCredentials: STORAGE }));
    const data = await gather('sumberjaya', env);
    expect(data).toEqual({
      unit: { name: 'Sumberjaya', kind: 'desa', code: '32.16.06.2010', kecamatan: 'Tambun Selatan', slug: 'sumberjaya' },
      kabupaten: { name: 'Kabupaten Bekasi', operator: expect.stringContaining('Diskominfosantik') },
      mail: {
        host: 'mail.desa.bekasikab.go.id',
        // Webmail at webmail.<the Kabupaten's mail domain>.
        webmail: 'https://webmail.desa.bekasikab.go.id/',
        // Quotas are desa.yaml's, which the stack applied.
        mailboxes: ROLES.map((role, i) => ({ role, address: `sumberjaya.${role}@desa.bekasikab.go.id`, password: `pw-${role}-${i}`, quota: '2Gi' })),
      },
      storage: { endpoint: 'http://storage.desa-platform.svc.cluster.local:9000', ...STORAGE, quota: '20Gi' },
      site: { url: 'https://sumberjaya.desa.bekasikab.go.id/', template: 'profil' },
      // A stack from before the file space's passwords: no files section.
      files: null,
      // Not on OpenSID: no administrator login.
      opensid: null,
      stack: { name: 'sumberjaya', lastUpdate: '2026-11-22T21:09:01.907Z' },
    });
    // The engine decrypts this desa's stack only; the platform's outputs are plain and read from the file.
    expect(reveal).toHaveBeenCalledTimes(1);
    expect(reveal).toHaveBeenCalledWith(DESA_YAML, ['sumberjaya'], env);
  });

  it('announces the site that serves: after a failed switch to opensid, profil still runs (issue 10, item 8)', () => {
    expect(servingTemplate('opensid', ['profil'])).toBe('profil');
    expect(servingTemplate('opensid', ['opensid'])).toBe('opensid');
    expect(servingTemplate('opensid', ['opensid', 'profil'])).toBe('opensid');
    // Nothing known to serve (another backend, a state without the workloads): what was asked for.
    expect(servingTemplate('profil', [])).toBe('profil');
  });

  it('a desa on OpenSID: its administrator login from the decrypted outputs', async () => {
    const env = backend(provisioned());
    const admin = { url: 'https://sumberjaya.desa.bekasikab.go.id/index.php/siteman', username: 'admin', password: 'Abcd-efgh-2345-wxyz' };
    reveal.mockClear().mockResolvedValue(revealed('sumberjaya', { ...desaOutputs('sumberjaya', ROLES, true), mailPasswords: PASSWORDS, storageCredentials: STORAGE, opensidAdmin: admin }));
    expect((await gather('sumberjaya', env)).opensid).toEqual(admin);
  });

  it('a kelurahan without mailboxes or storage: both null, the site kept', async () => {
    const env = backend({ platform: checkpoint('platform', PLATFORM_OUTPUTS), 'setia-asih': checkpoint('setia-asih', desaOutputs('setia-asih', [], false)) });
    reveal.mockResolvedValue(revealed('setia-asih', { ...desaOutputs('setia-asih', [], false), mailPasswords: {}, storageCredentials: null }));
    const data = await gather('setia-asih', env);
    expect(data).toMatchObject({ unit: { kind: 'kelurahan', name: 'Setia Asih' }, mail: null, storage: null, site: { url: 'https://setia-asih.desa.bekasikab.go.id/' } });
  });

  it('a role not in desa.yaml (any more) is read from the address', async () => {
    const env = backend(provisioned());
    const outputs = { ...desaOutputs('sumberjaya', ['bendahara'], false), mailPasswords: { 'sumberjaya.bendahara@desa.bekasikab.go.id': 'x' }, storageCredentials: null };
    reveal.mockResolvedValue(revealed('sumberjaya', outputs));
    expect((await gather('sumberjaya', env)).mail!.mailboxes).toEqual([{ role: 'bendahara', address: 'sumberjaya.bendahara@desa.bekasikab.go.id', password: 'x', quota: '2Gi' }]);
  });

  it('errors as `desa outputs` gives them, and nothing is decrypted: unknown slug 2, not provisioned 1', async () => {
    reveal.mockClear();
    const env = backend(provisioned());
    expect(await rejection(gather('sumberjay', env))).toMatchObject({ exitCode: 2, nextStep: 'Did you mean `sumberjaya`?' });
    const notUp = await rejection(gather('lambangjaya', env));
    expect(notUp).toMatchObject({ exitCode: 1, nextStep: 'Run `desa up --only lambangjaya`.' });
    expect(notUp.message).toMatch(/^lambangjaya is not provisioned: it has no stack in file:\/\//);
    expect(await rejection(gather('platform', env))).toMatchObject({ exitCode: 2, message: expect.stringContaining('the platform has no accounts to hand over') });
    const noPlatform = backend({ sumberjaya: provisioned().sumberjaya });
    expect(await rejection(gather('sumberjaya', noPlatform))).toMatchObject({ exitCode: 1, nextStep: 'Run `desa up`: the platform stack runs first.' });
    const destroyed = backend({ ...provisioned(), sumberjaya: checkpoint('sumberjaya', {}, false) });
    expect(await rejection(gather('sumberjaya', destroyed))).toMatchObject({ exitCode: 1, message: expect.stringContaining('its stack holds no resources') });
    expect(reveal).not.toHaveBeenCalled();
  });

  it('secrets the engine cannot decrypt: its error, exit 4, as it is', async () => {
    const env = backend(provisioned());
    reveal.mockRejectedValue(new AbortError('cannot read the secrets of stack sumberjaya: incorrect passphrase', { exitCode: 4, nextStep: 'Check the passphrase.' }));
    expect(await rejection(gather('sumberjaya', env))).toMatchObject({ exitCode: 4, message: expect.stringContaining('incorrect passphrase') });
  });

  it('outputs that lack a password for a mailbox: exit 1, run desa up for the desa', async () => {
    const env = backend(provisioned());
    reveal.mockResolvedValue(revealed('sumberjaya', { ...desaOutputs('sumberjaya', ROLES, true), mailPasswords: {}, storageCredentials: STORAGE }));
    const e = await rejection(gather('sumberjaya', env));
    expect(e).toMatchObject({ exitCode: 1, nextStep: expect.stringContaining('desa up --only sumberjaya') });
    expect(e.message).toContain('a password for sumberjaya.kepala-desa@desa.bekasikab.go.id');
  });
});
