import { mkdirSync, mkdtempSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AbortError, EXIT } from '../../core/errors.ts';
import type { Inventory, Unit } from '../../core/inventory/model.ts';
import { gzipSync } from 'node:zlib';
import { summaryLines } from '../ui/run-summary.ts';
import { localClusterConfig, localOpensid } from '../cluster/target.ts';
import { backendUrl, countChanges, passphraseEnv } from './automation.ts';
import { parseLock, pendingOperations, staleLocks } from './checkpoint.ts';
import { exitCodeOf } from './outcome.ts';
import { accountsToRotate, describeAccount, rotatable, rotatedAccounts } from './rotate.ts';
import { siteSwitch } from './up.ts';
import type { Step } from './diagnostics.ts';
import { pool } from './run-loop.ts';
import { orphanStacks, selectStacks } from './selection.ts';

const inventory = {
  file: '/x/desa.yaml',
  units: [
    { slug: 'sumberjaya', stack: 'sumberjaya' },
    { slug: 'sukamaju', stack: 'sukamaju' },
    { slug: 'karangraharja', stack: 'karangraharja' },
  ],
} as unknown as Inventory;

describe('selectStacks', () => {
  it('every unit by default, in inventory order', () => {
    expect(selectStacks(inventory, [])).toEqual(['sumberjaya', 'sukamaju', 'karangraharja']);
  });
  it('--only keeps inventory order', () => {
    expect(selectStacks(inventory, ['karangraharja', 'sumberjaya'])).toEqual(['sumberjaya', 'karangraharja']);
  });
  it('an unknown slug is a usage error with a did-you-mean', () => {
    let err: unknown;
    try {
      selectStacks(inventory, ['sumberjya']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AbortError);
    expect((err as AbortError).exitCode).toBe(EXIT.usage);
    expect((err as AbortError).nextStep).toContain('sumberjaya');
  });
});

describe('pool', () => {
  it('never runs more than the limit and keeps the order of results', async () => {
    let running = 0;
    let peak = 0;
    const out = await pool([5, 1, 3, 2, 4], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n * 3));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20, 40]);
    expect(peak).toBe(2);
  });
  it('handles no items', async () => {
    expect(await pool([], 2, async (n: number) => n)).toEqual([]);
  });
});

describe('orphans', () => {
  it('stacks whose desa left the inventory, never the platform', () => {
    expect(orphanStacks(inventory, ['platform', 'sumberjaya', 'gone', 'sukamaju', 'also-gone'])).toEqual(['also-gone', 'gone']);
  });
  it('--only may name an orphan stack given as extra', () => {
    expect(selectStacks(inventory, ['gone', 'sukamaju'], ['gone'])).toEqual(['sukamaju', 'gone']);
  });
});

describe('pool stops scheduling when told to', () => {
  it('items after the stop get the stopped result, running ones finish', async () => {
    let stop = false;
    const out = await pool([1, 2, 3, 4], 1, async (n) => {
      if (n === 2) stop = true;
      return `ran ${n}`;
    }, () => (stop ? 'skipped' : null));
    expect(out).toEqual(['ran 1', 'ran 2', 'skipped', 'skipped']);
  });
});

describe('summary', () => {
  const c = (create: number, same = 0) => ({ create, update: 0, delete: 0, same });
  it('a line per stack that changed, failed or has a note; unchanged ones only counted', () => {
    const lines = summaryLines({
      verb: 'up',
      ok: false,
      interrupted: false,
      stacks: [
        { stack: 'platform', operation: 'up', result: 'succeeded', changes: c(0, 9), seconds: 3.5 },
        { stack: 'sumberjaya', operation: 'up', result: 'succeeded', changes: c(21), seconds: 14.49 },
        { stack: 'sukamaju', operation: 'up', result: 'failed', changes: null, seconds: 2, error: 'boom' },
        { stack: 'gone', operation: 'destroy', result: 'succeeded', changes: { create: 0, update: 0, delete: 12, same: 0 }, seconds: 4, note: 'data kept' },
      ],
    });
    expect(lines).toEqual([
      'sumberjaya  21 created in 14.5s',
      'sukamaju    FAILED after 2.0s: boom',
      'gone        12 deleted in 4.0s (data kept)',
      '4 stack(s): 2 changed, 1 unchanged, 1 failed; resources: 21 created, 12 deleted, 9 unchanged.',
    ]);
  });
  it('exit codes: 0 ok, 4 a failure, 130 interrupted', () => {
    expect(exitCodeOf({ verb: 'up', ok: true, interrupted: false, stacks: [] })).toBe(0);
    expect(exitCodeOf({ verb: 'up', ok: false, interrupted: false, stacks: [] })).toBe(4);
    expect(exitCodeOf({ verb: 'up', ok: false, interrupted: true, stacks: [] })).toBe(130);
  });
  it('counts replacements as updates', () => {
    expect(countChanges({ create: 1, replace: 2, update: 1, same: 3 })).toEqual({ create: 1, update: 3, delete: 0, same: 3 });
  });
});

describe('config', () => {
  it('local cluster: every platform service existing', () => {
    const m = localClusterConfig('/x/desa.yaml', '/x/.desa/cluster/admin.kubeconfig');
    expect(m['desa:inventory']).toBe('/x/desa.yaml');
    expect(m['desa:customResources']).toBe(false);
    expect(m['desa:ingress']).toEqual({ mode: 'existing', publishesStatus: false });
    expect(m['kubernetes:kubeconfig']).toBe('/x/.desa/cluster/admin.kubeconfig');
    expect(m['desa:opensid']).toEqual({ mode: 'existing' });
    // The local PowerDNS serves the zone: its CAA record names the local CA, not Let's Encrypt.
    expect(m['desa:tls']).toEqual({ certManager: 'existing', caa: ['pebble.desa.local'] });
    // Webmail and files are the local servers', behind the local nginx: no Deployment in the local cluster.
    expect([m['desa:webmail'], m['desa:files']]).toEqual([{ mode: 'existing' }, { mode: 'existing' }]);
  });
  it('local cluster: the OpenSID release from DESA_OPENSID_SOURCE and DESA_OPENSID_SHA256, none when unset', () => {
    expect(localOpensid({})).toEqual({ mode: 'existing' });
    expect(localOpensid({ DESA_OPENSID_SOURCE: '/srv/opensid-2410.0.0.tar.gz', DESA_OPENSID_SHA256: 'c'.repeat(64) })).toEqual({ mode: 'existing', source: '/srv/opensid-2410.0.0.tar.gz', sha256: 'c'.repeat(64) });
  });
  it('the backend: PULUMI_BACKEND_URL when set, else the file backend beside desa.yaml', () => {
    const dirs = { backend: '/x/.desa/state' } as Parameters<typeof backendUrl>[0];
    expect(backendUrl(dirs, {})).toBe('file:///x/.desa/state');
    expect(backendUrl(dirs, { PULUMI_BACKEND_URL: 's3://bucket/desa' })).toBe('s3://bucket/desa');
  });
});

describe('pending operations of a killed run', () => {
  const write = (gz: boolean, latest: unknown) => {
    const b = mkdtempSync(join(tmpdir(), 'state-'));
    const dir = join(b, '.pulumi/stacks/desa');
    mkdirSync(dir, { recursive: true });
    const text = JSON.stringify({ version: 3, checkpoint: { stack: 'sumberjaya', latest } });
    if (gz) writeFileSync(join(dir, 'sumberjaya.json.gz'), gzipSync(text));
    else writeFileSync(join(dir, 'sumberjaya.json'), text);
    return b;
  };
  it('counted from the checkpoint, plain or gzipped', () => {
    expect(pendingOperations(write(false, { resources: [], pending_operations: [{ type: 'creating' }, { type: 'creating' }] }), 'sumberjaya')).toBe(2);
    expect(pendingOperations(write(true, { resources: [], pending_operations: [{ type: 'creating' }] }), 'sumberjaya')).toBe(1);
  });
  it('none, or no state: 0', () => {
    expect(pendingOperations(write(false, { resources: [] }), 'sumberjaya')).toBe(0);
    expect(pendingOperations(write(false, null), 'other')).toBe(0);
  });
});

describe('passphrase', () => {
  it('generated once with mode 0600, then reused', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pp-')), 'sub', 'passphrase');
    expect(passphraseEnv(file, {})).toEqual({ PULUMI_CONFIG_PASSPHRASE_FILE: file });
    const first = readFileSync(file, 'utf8');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    passphraseEnv(file, {});
    expect(readFileSync(file, 'utf8')).toBe(first);
  });
  it("the caller's passphrase wins", () => {
    expect(passphraseEnv('/nope', { PULUMI_CONFIG_PASSPHRASE: 's' })).toEqual({});
    expect(passphraseEnv('/nope', { PULUMI_CONFIG_PASSPHRASE_FILE: '/p' })).toEqual({ PULUMI_CONFIG_PASSPHRASE_FILE: '/p' });
  });
});

describe('stale locks', () => {
  const backend = () => {
    const b = mkdtempSync(join(tmpdir(), 'lock-'));
    mkdirSync(join(b, '.pulumi/locks/organization/desa/sumberjaya'), { recursive: true });
    return b;
  };
  const lock = (b: string, name: string, body: string) => writeFileSync(join(b, '.pulumi/locks/organization/desa/sumberjaya', name), body);

  it('parses pid and hostname; null without a pid', () => {
    expect(parseLock('{"pid":12,"hostname":"vm"}')).toEqual({ pid: 12, hostname: 'vm' });
    expect(parseLock('{"username":"root"}')).toBeNull();
    expect(parseLock('not json')).toBeNull();
  });
  it('only locks of this host whose process is gone', () => {
    const b = backend();
    lock(b, 'dead.json', '{"pid":100,"hostname":"vm"}');
    lock(b, 'live.json', '{"pid":200,"hostname":"vm"}');
    lock(b, 'other-host.json', '{"pid":100,"hostname":"elsewhere"}');
    lock(b, 'no-pid.json', '{"hostname":"vm"}');
    const found = staleLocks(b, 'sumberjaya', 'vm', (pid) => pid === 200);
    expect(found.map((f) => f.split('/').pop())).toEqual(['dead.json']);
  });
  it('no lock folder: nothing', () => {
    expect(staleLocks(backend(), 'other', 'vm', () => false)).toEqual([]);
  });
});

describe('rotate: which accounts', () => {
  const unit = (email: boolean, storage: boolean, template = 'profil') =>
    ({
      slug: 'sumberjaya',
      services: {
        email: { enabled: email, accounts: [{ role: 'kepala-desa' }, { role: 'operator' }] },
        storage: { enabled: storage, bucket: 'desa-sumberjaya' },
        site: { enabled: true, template },
        subdomain: { enabled: true, host: 'sumberjaya.desa.bekasikab.go.id' },
      },
    }) as unknown as Unit;
  it('all of them by default; the named ones otherwise, once each', () => {
    expect(accountsToRotate(unit(true, true), [])).toEqual(['kepala-desa', 'operator', 'storage']);
    expect(accountsToRotate(unit(true, true), ['operator', 'operator'])).toEqual(['operator']);
    expect(rotatable(unit(true, false))).toEqual(['kepala-desa', 'operator']);
  });
  it('an OpenSID desa also has its database and administrator passwords', () => {
    expect(rotatable(unit(true, true, 'opensid'))).toEqual(['kepala-desa', 'operator', 'storage', 'opensid-db', 'opensid-admin']);
    expect(accountsToRotate(unit(false, false, 'opensid'), ['opensid-admin'])).toEqual(['opensid-admin']);
    expect(describeAccount(unit(false, false, 'opensid'), 'opensid-admin')).toBe('OpenSID administrator (sumberjaya.desa.bekasikab.go.id)');
    expect(() => accountsToRotate(unit(true, true), ['opensid-db'])).toThrow(/no such account/);
  });
  it('an account the desa does not have is a usage error naming the ones it has', () => {
    expect(() => accountsToRotate(unit(true, false), ['storage'])).toThrow(/no such account/);
    expect(() => accountsToRotate(unit(false, false), [])).toThrow(/no mailboxes, storage or OpenSID/);
  });
});

describe('rotate: what changed when the update failed elsewhere (issue 10, item 7)', () => {
  const unit = { slug: 'lambangjaya', services: { email: { enabled: true, accounts: [{ role: 'operator' }, { role: 'kepala-desa' }] }, storage: { enabled: true, bucket: 'desa-lambangjaya' } } } as unknown as Unit;
  const secret = (op: Step['op'], name: string): Step => ({ op, urn: `urn:x::${name}`, type: 'kubernetes:core/v1:Secret', kind: 'Secret', name, object: { name, namespace: 'desa-platform' } });
  const failed = (steps: Step[]) => ({ result: 'failed' as const, steps });

  it('an account whose Secret the engine updated before the failure is rotated: its new credential is live', () => {
    expect(rotatedAccounts(unit, ['operator'], failed([secret('update', 'mailbox-lambangjaya-operator')]))).toEqual({ live: ['operator'], unchanged: [] });
    expect(rotatedAccounts(unit, ['operator', 'kepala-desa'], failed([secret('replace', 'mailbox-lambangjaya-operator')]))).toEqual({ live: ['operator'], unchanged: ['kepala-desa'] });
  });

  it('storage is rotated only when both its claim and the access that grants the key changed', () => {
    expect(rotatedAccounts(unit, ['storage'], failed([secret('update', 'bucket-lambangjaya')])).live).toEqual([]);
    expect(rotatedAccounts(unit, ['storage'], failed([secret('update', 'bucket-lambangjaya'), secret('create', 'bucket-access-lambangjaya')])).live).toEqual(['storage']);
  });

  it("an OpenSID password is rotated when OpenSID's Secret changed, outside the cluster or in it", () => {
    expect(rotatedAccounts(unit, ['opensid-admin'], failed([secret('update', 'opensid-lambangjaya')])).live).toEqual(['opensid-admin']);
    expect(rotatedAccounts(unit, ['opensid-db'], failed([{ ...secret('update', 'opensid'), object: { name: 'opensid', namespace: 'desa-lambangjaya' } }])).live).toEqual(['opensid-db']);
    expect(rotatedAccounts(unit, ['opensid-db'], failed([secret('update', 'mailbox-lambangjaya-operator')]))).toEqual({ live: [], unchanged: ['opensid-db'] });
  });

  it('a succeeded update rotated everything asked', () => {
    expect(rotatedAccounts(unit, ['operator', 'storage'], { result: 'succeeded' })).toEqual({ live: ['operator', 'storage'], unchanged: [] });
  });

  it('the summary says what was rotated before it says what failed', () => {
    const lines = summaryLines({
      verb: 'up',
      ok: true,
      interrupted: false,
      stacks: [{ stack: 'lambangjaya', operation: 'up', result: 'failed', changes: { create: 0, update: 1, delete: 0, same: 20 }, seconds: 3.1, error: 'PersistentVolumeClaim lambangjaya-site-opensid-files: cannot be deleted', note: 'rotated: new operator password live' }],
    });
    expect(lines[0]).toBe('lambangjaya  rotated: new operator password live; the rest of the update FAILED after 3.1s: PersistentVolumeClaim lambangjaya-site-opensid-files: cannot be deleted');
  });
});

describe('a switch of site template (issue 10)', () => {
  const unit = (template: string) => ({ services: { site: { enabled: true, template } } }) as unknown as Unit;
  const workload = (name: string) => ({ type: 'kubernetes:apps/v1:Deployment', outputs: { metadata: { labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'site' } } } });
  const state = (siteTemplate?: string, running: string[] = siteTemplate === 'profil' || siteTemplate === 'opensid' ? [siteTemplate] : []) => ({
    resources: [{ type: 'pulumi:pulumi:Stack', outputs: siteTemplate ? { siteTemplate } : {} }, ...running.map(workload)],
  });
  it("is seen from the state's site workloads: what ran before, when the unit now asks for something else", () => {
    expect(siteSwitch(state('opensid'), unit('profil'))).toBe('opensid');
    expect(siteSwitch(state('profil'), unit('opensid'))).toBe('profil');
    // Nothing ran before (an external site): no pod to make room for.
    expect(siteSwitch(state('external'), unit('profil'))).toBeNull();
    expect(siteSwitch(state('profil'), unit('profil'))).toBeNull();
    expect(siteSwitch(state('external'), unit('external'))).toBeNull();
    // A stack never run, or outputs without a template: no switch.
    expect(siteSwitch(undefined, unit('profil'))).toBeNull();
    expect(siteSwitch(state(), unit('profil'))).toBeNull();
  });
  it('OpenSID served outside the cluster runs nothing in the namespace: only what does run counts', () => {
    const outside = { opensidOutside: true };
    // On the local servers' OpenSID, an update that stays there is no switch.
    expect(siteSwitch(state('opensid', []), unit('opensid'), outside)).toBeNull();
    expect(siteSwitch(state('opensid', []), unit('profil'), outside)).toBeNull();
    // From profil to OpenSID outside: the profil pod runs until it is gone.
    expect(siteSwitch(state('profil'), unit('opensid'), outside)).toBe('profil');
    // OpenSID in the cluster (deploy mode) still running, the desa now served outside it.
    expect(siteSwitch(state('opensid', ['opensid']), unit('opensid'), outside)).toBe('opensid');
  });
});

