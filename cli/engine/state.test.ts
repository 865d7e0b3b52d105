import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../paths.ts';
import { backendFor, parseCheckpoint, readFileBackend } from './checkpoint.ts';
import { hasSecret, maskSecrets, readStates, SECRET } from './state.ts';

// The shape of a real checkpoint (Pulumi v3.250.0, file backend), trimmed; the ciphertexts are made up.
const secret = (ciphertext: string) => ({ '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', ciphertext });
const root = (stack: string, outputs: Record<string, unknown>) => ({
  urn: `urn:pulumi:${stack}::desa::pulumi:pulumi:Stack::desa-${stack}`,
  custom: false,
  type: 'pulumi:pulumi:Stack',
  outputs,
});
const resource = (stack: string, type: string, name: string, protect = false) => ({
  urn: `urn:pulumi:${stack}::desa::${type}::${name}`,
  custom: !type.startsWith('desa:'),
  type,
  ...(protect ? { protect } : {}),
  outputs: {},
});

function checkpoint(stack: string, resources: unknown[] | undefined, time = '2026-11-22T21:09:01.907329199Z'): string {
  const latest = { manifest: { time, magic: 'x', version: 'v3.250.0' }, secrets_providers: { type: 'passphrase', state: { salt: 'v1:x' } }, metadata: {}, ...(resources ? { resources } : {}) };
  return JSON.stringify({ version: 3, checkpoint: { stack: `organization/desa/${stack}`, latest } });
}

const desaOutputs = {
  bucket: 'desa-sumberjaya',
  host: 'sumberjaya.desa.bekasikab.go.id',
  mailPasswords: secret('v1:AAAA:made-up'),
  mailboxes: ['sumberjaya.kepala-desa@desa.bekasikab.go.id', 'sumberjaya.operator@desa.bekasikab.go.id'],
  namespace: 'desa-sumberjaya',
  siteTemplate: 'profil',
  storageCredentials: secret('v1:BBBB:made-up'),
  url: 'https://sumberjaya.desa.bekasikab.go.id/',
};

const provisioned = (stack: string, outputs: Record<string, unknown> = desaOutputs) =>
  checkpoint(stack, [
    root(stack, outputs),
    resource(stack, 'desa:desa:Desa', stack),
    resource(stack, 'pulumi:providers:kubernetes', 'kubernetes'),
    resource(stack, 'kubernetes:core/v1:Namespace', `${stack}-namespace`),
  ]);

describe('parseCheckpoint', () => {
  it('reads a provisioned desa stack: outputs with every secret masked, count, time in ISO', () => {
    const s = parseCheckpoint(provisioned('sumberjaya'), 'sumberjaya');
    expect(s).toEqual({
      name: 'sumberjaya',
      provisioned: true,
      dataKept: false,
      lastUpdate: '2026-11-22T21:09:01.907Z',
      resourceCount: 4,
      outputs: { ...desaOutputs, mailPasswords: SECRET, storageCredentials: SECRET },
      updateInProgress: false,
      lastOperation: null,
      siteRunning: [],
      cluster: null,
    });
    expect(JSON.stringify(s)).not.toContain('made-up');
  });

  it('masks secrets nested in lists and objects, and keeps everything else as it is', () => {
    const value = { a: [1, { b: secret('x') }], c: null, d: { e: 'plain' } };
    expect(maskSecrets(value)).toEqual({ a: [1, { b: SECRET }], c: null, d: { e: 'plain' } });
    expect(hasSecret(maskSecrets(value))).toBe(true);
    expect(hasSecret({ d: { e: 'plain' } })).toBe(false);
  });

  it('a stack that was created but never ran, or ran no further than its root and provider, is not provisioned', () => {
    expect(parseCheckpoint(checkpoint('baru', undefined), 'baru')).toMatchObject({ provisioned: false, resourceCount: 0, outputs: {} });
    const bare = checkpoint('baru', [root('baru', {}), resource('baru', 'pulumi:providers:kubernetes', 'kubernetes')]);
    expect(parseCheckpoint(bare, 'baru')).toMatchObject({ provisioned: false, dataKept: false, resourceCount: 2 });
  });

  it('a stack destroyed with its data kept holds only protected objects: not provisioned, data kept', () => {
    const kept = checkpoint('lama', [
      root('lama', {}),
      resource('lama', 'pulumi:providers:kubernetes', 'kubernetes'),
      resource('lama', 'desa:desa:Namespace', 'lama-namespace'),
      resource('lama', 'kubernetes:core/v1:Namespace', 'lama-namespace', true),
      resource('lama', 'kubernetes:core/v1:Secret', 'lama-storage-credentials', true),
    ]);
    expect(parseCheckpoint(kept, 'lama')).toMatchObject({ provisioned: false, dataKept: true });
    const serving = checkpoint('x', [root('x', {}), resource('x', 'kubernetes:core/v1:Namespace', 'x', true), resource('x', 'kubernetes:apps/v1:Deployment', 'x')]);
    expect(parseCheckpoint(serving, 'x')).toMatchObject({ provisioned: true, dataKept: false });
  });

  it('a destroyed stack has no resources; a checkpoint without `latest` has no time', () => {
    expect(parseCheckpoint(checkpoint('x', []), 'x')).toMatchObject({ provisioned: false, resourceCount: 0 });
    expect(parseCheckpoint(JSON.stringify({ version: 3, checkpoint: { stack: 'organization/desa/x', latest: null } }), 'x')).toMatchObject({
      provisioned: false,
      lastUpdate: null,
    });
  });
});

function backend(): string {
  const dir = mkdtempSync(join(tmpdir(), 'desa-state-'));
  mkdirSync(join(dir, '.pulumi', 'stacks', 'desa'), { recursive: true });
  return dir;
}
const stacksDir = (dir: string) => join(dir, '.pulumi', 'stacks', 'desa');

describe('readFileBackend', () => {
  it('finds no stack where there is no backend yet', () => {
    expect(readFileBackend(join(tmpdir(), 'desa-state-none'))).toEqual([]);
  });

  it('reads .json and .json.gz checkpoints, sorted by name, and ignores backups and attributes', () => {
    const dir = backend();
    writeFileSync(join(stacksDir(dir), 'sumberjaya.json'), provisioned('sumberjaya'));
    writeFileSync(join(stacksDir(dir), 'sumberjaya.json.attrs'), '{}');
    writeFileSync(join(stacksDir(dir), 'sumberjaya.json.bak'), 'not json');
    writeFileSync(join(stacksDir(dir), 'lambangsari.json.gz'), gzipSync(provisioned('lambangsari')));
    writeFileSync(join(stacksDir(dir), 'platform.json'), checkpoint('platform', undefined));
    const states = readFileBackend(dir);
    expect(states.map((s) => [s.name, s.provisioned])).toEqual([
      ['lambangsari', true],
      ['platform', false],
      ['sumberjaya', true],
    ]);
    expect(states[0]!.outputs.mailPasswords).toBe(SECRET);
  });

  it('takes the newer file when a stack has both forms (gzip turned on or off since)', () => {
    const dir = backend();
    writeFileSync(join(stacksDir(dir), 'x.json'), checkpoint('x', undefined, '2026-01-01T00:00:00Z'));
    writeFileSync(join(stacksDir(dir), 'x.json.gz'), gzipSync(checkpoint('x', undefined, '2026-02-01T00:00:00Z')));
    utimesSync(join(stacksDir(dir), 'x.json'), new Date('2026-01-01'), new Date('2026-01-01'));
    expect(readFileBackend(dir)[0]!.lastUpdate).toBe('2026-02-01T00:00:00.000Z');
  });

  it('an update in progress holds a lock file; an empty lock directory is no lock', () => {
    const dir = backend();
    writeFileSync(join(stacksDir(dir), 'a.json'), provisioned('a'));
    writeFileSync(join(stacksDir(dir), 'b.json'), provisioned('b'));
    const locks = join(dir, '.pulumi', 'locks', 'organization', 'desa');
    mkdirSync(join(locks, 'a'), { recursive: true });
    mkdirSync(join(locks, 'b'), { recursive: true });
    writeFileSync(join(locks, 'a', '0b6e4f8a-lock.json'), JSON.stringify({ pid: 1, hostname: 'h' }));
    expect(readFileBackend(dir).map((s) => [s.name, s.updateInProgress])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });

  it('the last operation is the newest entry of the engine\'s history: a failed update says so, with when (issue 10, item 8)', () => {
    const dir = backend();
    writeFileSync(join(stacksDir(dir), 'lambangjaya.json'), provisioned('lambangjaya'));
    writeFileSync(join(stacksDir(dir), 'sumberjaya.json'), provisioned('sumberjaya'));
    const history = join(dir, '.pulumi', 'history', 'desa', 'lambangjaya');
    mkdirSync(history, { recursive: true });
    const entry = (result: string, start: number) => JSON.stringify({ kind: 'update', startTime: start, message: '', environment: {}, config: {}, version: 3, result, endTime: start + 304 });
    // Names sort as numbers, not as text: 999… is older than 1000….
    writeFileSync(join(history, 'lambangjaya-999999999999999999.history.json'), entry('succeeded', 1764000000));
    writeFileSync(join(history, 'lambangjaya-1764580000000000000.history.json.gz'), gzipSync(entry('failed', 1764580000)));
    writeFileSync(join(history, 'lambangjaya-1764580000000000000.checkpoint.json'), '{}');
    const [lambangjaya, sumberjaya] = readFileBackend(dir);
    expect(lambangjaya!.lastOperation).toEqual({ kind: 'update', result: 'failed', startedAt: '2025-12-01T09:06:40.000Z', endedAt: '2025-12-01T09:11:44.000Z' });
    expect(sumberjaya!.lastOperation).toBeNull();
  });

  it('what serves: the site templates whose workload has a ready pod in the state', () => {
    const workload = (name: string, template: string, ready: number) => ({
      ...resource('x', 'kubernetes:apps/v1:Deployment', name),
      outputs: { metadata: { labels: { 'app.kubernetes.io/name': template, 'app.kubernetes.io/component': 'site' } }, status: { readyReplicas: ready } },
    });
    const db = { ...resource('x', 'kubernetes:apps/v1:StatefulSet', 'x-db'), outputs: { metadata: { labels: { 'app.kubernetes.io/name': 'mariadb', 'app.kubernetes.io/component': 'database' } }, status: { readyReplicas: 1 } } };
    const text = checkpoint('x', [root('x', { siteTemplate: 'opensid' }), workload('x-site-profil', 'profil', 1), workload('x-site-opensid', 'opensid', 0), db]);
    expect(parseCheckpoint(text, 'x').siteRunning).toEqual(['profil']);
  });

  it('what serves: a site Service that selects no pod is a site served outside the cluster (OpenSID on the local servers)', () => {
    const service = (template: string, selector?: Record<string, string>) => ({
      ...resource('x', 'kubernetes:core/v1:Service', template),
      outputs: { metadata: { labels: { 'app.kubernetes.io/name': template, 'app.kubernetes.io/component': 'site' } }, spec: { ports: [{ port: 80 }], ...(selector ? { selector } : {}) } },
    });
    const outside = checkpoint('x', [root('x', { siteTemplate: 'opensid' }), service('opensid')]);
    expect(parseCheckpoint(outside, 'x').siteRunning).toEqual(['opensid']);
    // In the cluster, a Service is not what serves: its pods are (none ready here).
    const inside = checkpoint('x', [root('x', { siteTemplate: 'opensid' }), service('opensid', { 'app.kubernetes.io/name': 'opensid' })]);
    expect(parseCheckpoint(inside, 'x').siteRunning).toEqual([]);
  });

  it('a checkpoint that is not JSON is a clear error naming the stack and file', () => {
    const dir = backend();
    writeFileSync(join(stacksDir(dir), 'rusak.json'), '{"version": 3, "checkp');
    expect(() => readFileBackend(dir)).toThrow(/cannot read the state of stack rusak \(.*rusak\.json\)/);
  });
});

describe('backendFor', () => {
  const file = '/srv/bekasi/desa.yaml';
  it('is the file backend beside desa.yaml, or under DESA_STATE_DIR', () => {
    expect(backendFor(file, {})).toEqual({ kind: 'file', url: 'file:///srv/bekasi/.desa/state', dir: '/srv/bekasi/.desa/state' });
    expect(backendFor(file, { DESA_STATE_DIR: '/var/desa' })).toMatchObject({ kind: 'file', dir: '/var/desa/state' });
  });

  it('follows PULUMI_BACKEND_URL: file:// paths absolute, relative or under ~, anything else through the engine', () => {
    expect(backendFor(file, { PULUMI_BACKEND_URL: 'file:///var/state' })).toMatchObject({ kind: 'file', dir: '/var/state' });
    expect(backendFor(file, { PULUMI_BACKEND_URL: 'file://~/state' })).toMatchObject({ kind: 'file', dir: join(homedir(), 'state') });
    expect(backendFor(file, { PULUMI_BACKEND_URL: 'file://state' })).toMatchObject({ kind: 'file', dir: resolve('state') });
    expect(backendFor(file, { PULUMI_BACKEND_URL: 's3://bucket/desa' })).toEqual({ kind: 'engine', url: 's3://bucket/desa' });
    expect(backendFor(file, { PULUMI_BACKEND_URL: 'https://api.pulumi.com' })).toEqual({ kind: 'engine', url: 'https://api.pulumi.com' });
  });

  it('readStates reads a file:// PULUMI_BACKEND_URL directly', async () => {
    const dir = backend();
    writeFileSync(join(stacksDir(dir), 'sumberjaya.json'), provisioned('sumberjaya'));
    const s = await readStates(file, { PULUMI_BACKEND_URL: `file://${dir}` });
    expect(s.backend).toEqual({ kind: 'file', url: `file://${dir}`, dir });
    expect(s.stacks.map((x) => x.name)).toEqual(['sumberjaya']);
  });
});

describe('the file path loads no engine', () => {
  it('reading the state and mapping it for the report never imports @pulumi/pulumi', () => {
    const dir = backend();
    writeFileSync(join(stacksDir(dir), 'sumberjaya.json'), provisioned('sumberjaya'));
    // Records every module resolved, then reads the state as `desa status` and `desa report` do.
    const script = `
      import { registerHooks } from 'node:module';
      const seen = [];
      registerHooks({ resolve: (spec, ctx, next) => { seen.push(spec); return next(spec, ctx); } });
      const { readStates } = await import(${JSON.stringify(join(ROOT, 'cli/engine/state.ts'))});
      const { provisionedServices } = await import(${JSON.stringify(join(ROOT, 'cli/report/provisioned.ts'))});
      const s = await readStates('/nowhere/desa.yaml', { PULUMI_BACKEND_URL: 'file://${dir}' });
      provisionedServices(s.stacks, []);
      console.log(JSON.stringify({ stacks: s.stacks.length, pulumi: seen.filter((m) => m.includes('@pulumi')) }));`;
    const r = spawnSync(join(ROOT, 'bin/node'), ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: ROOT });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ stacks: 1, pulumi: [] });
  });
});
