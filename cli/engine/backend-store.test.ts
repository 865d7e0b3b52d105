import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AbortError, EXIT } from '../../core/errors.ts';
import { fileStore, parseS3Url } from './backend-store.ts';
import { latestIn, lockHoldersIn, readStoreStates, stackExists, stackNames, staleHolders } from './backend-state.ts';
import { forgetRecord, handSettings, readRecord, recordKey, writeRecord } from './records.ts';

/** A file backend as the engine writes it (.pulumi/stacks/desa/<stack>.json, .pulumi/locks/organization/desa/<stack>/<id>.json). */
function backend(): string {
  const dir = mkdtempSync(join(tmpdir(), 'store-'));
  mkdirSync(join(dir, '.pulumi/stacks/desa'), { recursive: true });
  return dir;
}

const checkpoint = (time: string, extra: object = {}) =>
  JSON.stringify({
    version: 3,
    checkpoint: {
      stack: 'organization/desa/x',
      latest: { manifest: { time }, resources: [{ type: 'pulumi:pulumi:Stack', outputs: { slug: 'x' } }, { type: 'kubernetes:core/v1:Namespace', custom: true }], ...extra },
    },
  });

describe('a backend store over a folder', () => {
  it('lists by prefix at any depth, reads, writes and removes', async () => {
    const dir = backend();
    const s = fileStore(dir);
    writeFileSync(join(dir, '.pulumi/stacks/desa/sumberjaya.json'), checkpoint('2026-12-04T01:00:00Z'));
    writeFileSync(join(dir, '.pulumi/stacks/desa/sumberjaya.json.bak'), 'old');
    writeFileSync(join(dir, '.pulumi/stacks/desa/sukamaju.json'), checkpoint('2026-12-04T02:00:00Z'));
    expect((await s.list('.pulumi/stacks/desa/sumberjaya.json')).map((o) => o.key)).toEqual(['.pulumi/stacks/desa/sumberjaya.json', '.pulumi/stacks/desa/sumberjaya.json.bak']);
    expect(await s.list('.pulumi/nothing/')).toEqual([]);
    expect(await s.get('.pulumi/none.json')).toBeNull();
    await s.put('.desa/last-update/desa/x.json', '{}');
    expect((await s.get('.desa/last-update/desa/x.json'))?.toString()).toBe('{}');
    await s.remove('.desa/last-update/desa/x.json');
    expect(await s.get('.desa/last-update/desa/x.json')).toBeNull();
  });
});

describe('what the engine left in a store', () => {
  it('stacks, their latest state (gzipped too, the newer of both), pending operations', async () => {
    const dir = backend();
    const s = fileStore(dir);
    const stacks = join(dir, '.pulumi/stacks/desa');
    writeFileSync(join(stacks, 'sumberjaya.json'), checkpoint('2026-12-04T01:00:00Z'));
    writeFileSync(join(stacks, 'sumberjaya.json.gz'), gzipSync(checkpoint('2026-12-04T03:00:00Z', { pending_operations: [{ type: 'creating' }] })));
    utimesSync(join(stacks, 'sumberjaya.json'), new Date('2026-12-04T01:00:00Z'), new Date('2026-12-04T01:00:00Z'));
    writeFileSync(join(stacks, 'sukamaju.json'), checkpoint('2026-12-04T02:00:00Z'));
    writeFileSync(join(stacks, 'sukamaju.json.bak'), 'not a checkpoint');
    expect(await stackNames(s)).toEqual(['sukamaju', 'sumberjaya']);
    const latest = await latestIn(s, 'sumberjaya');
    expect(latest?.manifest?.time).toBe('2026-12-04T03:00:00Z');
    expect(latest?.pending_operations).toHaveLength(1);
    expect(await latestIn(s, 'sumber')).toBeUndefined();
    expect(await latestIn(s, 'nowhere')).toBeUndefined();
  });

  it('whether a stack is held, so a new desa is created without a failing select first', async () => {
    const dir = backend();
    const s = fileStore(dir);
    writeFileSync(join(dir, '.pulumi/stacks/desa/sumberjaya.json'), checkpoint('2026-12-04T01:00:00Z'));
    writeFileSync(join(dir, '.pulumi/stacks/desa/sukamaju.json.gz'), gzipSync(checkpoint('2026-12-04T01:00:00Z')));
    expect(await stackExists(s, 'sumberjaya')).toBe(true);
    expect(await stackExists(s, 'sukamaju')).toBe(true);
    expect(await stackExists(s, 'sumber')).toBe(false);
    const broken = { ...s, get: async () => { throw new Error('AccessDenied'); } };
    expect(await stackExists(broken, 'sumberjaya')).toBeUndefined();
  });

  it('lock objects name their holders; those of a process gone on this host are stale', async () => {
    const dir = backend();
    const s = fileStore(dir);
    const locks = join(dir, '.pulumi/locks/organization/desa/sumberjaya');
    mkdirSync(locks, { recursive: true });
    writeFileSync(join(locks, 'a.json'), JSON.stringify({ pid: 4242, username: 'ci', hostname: hostname(), timestamp: '2026-12-04T01:00:00Z' }));
    writeFileSync(join(locks, 'b.json'), JSON.stringify({ pid: 77, username: 'ci', hostname: 'runner-2', timestamp: '2026-12-04T01:00:01Z' }));
    writeFileSync(join(locks, 'c.json'), '{"pid": 1');
    const holders = await lockHoldersIn(s, 'sumberjaya');
    expect(holders).toEqual([
      { pid: 4242, user: 'ci', host: hostname(), since: '2026-12-04T01:00:00Z' },
      { pid: 77, user: 'ci', host: 'runner-2', since: '2026-12-04T01:00:01Z' },
      { pid: null },
    ]);
    expect(await lockHoldersIn(s, 'sukamaju')).toEqual([]);
    // Only the one on this host whose process is gone; another host's and a half-written one are left alone.
    expect(staleHolders(holders, hostname(), () => false)).toEqual([holders[0]]);
    expect(staleHolders(holders, hostname(), () => true)).toEqual([]);
  });

  it('the states for desa status: outputs, provisioned, which one is being updated', async () => {
    const dir = backend();
    writeFileSync(join(dir, '.pulumi/stacks/desa/sumberjaya.json'), checkpoint('2026-12-04T01:00:00Z'));
    writeFileSync(join(dir, '.pulumi/stacks/desa/platform.json'), checkpoint('2026-12-04T00:00:00Z'));
    mkdirSync(join(dir, '.pulumi/locks/organization/desa/sumberjaya'), { recursive: true });
    writeFileSync(join(dir, '.pulumi/locks/organization/desa/sumberjaya/x.json'), '{}');
    const states = await readStoreStates(fileStore(dir));
    expect(states.map((x) => [x.name, x.provisioned, x.updateInProgress, x.lastUpdate])).toEqual([
      ['platform', true, false, '2026-12-04T00:00:00.000Z'],
      ['sumberjaya', true, true, '2026-12-04T01:00:00.000Z'],
    ]);
    expect(states[1]!.outputs).toEqual({ slug: 'x' });
  });
});

describe('the fingerprint records, beside the state', () => {
  it('are written, read and forgotten in the backend, not in a work folder', async () => {
    const dir = backend();
    const s = fileStore(dir);
    expect(await readRecord(s, 'sumberjaya')).toBeNull();
    await writeRecord(s, 'sumberjaya', { fingerprint: 'f', stateTime: 't', cluster: 'uid' });
    expect(recordKey('sumberjaya')).toBe('.desa/last-update/desa/sumberjaya.json');
    // Another runner with only the backend in common reads the same record.
    expect(await readRecord(fileStore(dir), 'sumberjaya')).toEqual({ fingerprint: 'f', stateTime: 't', cluster: 'uid' });
    await forgetRecord(s, 'sumberjaya');
    expect(await readRecord(s, 'sumberjaya')).toBeNull();
    // No store (Pulumi Cloud): nothing recorded, so nothing is ever skipped.
    await writeRecord(null, 'sumberjaya', { fingerprint: 'f', stateTime: 't', cluster: null });
    expect(await readRecord(null, 'sumberjaya')).toBeNull();
  });

  it('a settings file counts by the keys set by hand: none and a file of only what desa writes are the same', () => {
    const written = { 'desa:inventory': '/w/desa.yaml', 'kubernetes:kubeconfig': '/k' };
    const desaOnly = 'encryptionsalt: v1:abc\nconfig:\n  desa:inventory: /w/desa.yaml\n  kubernetes:kubeconfig: /k\n';
    expect(handSettings(null, written)).toEqual({});
    expect(handSettings(desaOnly, written)).toEqual({});
    expect(handSettings(`${desaOnly}  desa:platformNamespace: lain\n`, written)).toEqual({ 'desa:platformNamespace': 'lain' });
  });
});

describe('an s3:// backend URL', () => {
  it('bucket, prefix, endpoint, path style and region, as the engine reads them', () => {
    expect(parseS3Url('s3://desa-state?endpoint=http://127.0.0.1:7070&s3ForcePathStyle=true&region=us-east-1', {})).toEqual({
      bucket: 'desa-state',
      prefix: '',
      endpoint: 'http://127.0.0.1:7070',
      region: 'us-east-1',
      forcePathStyle: true,
    });
    expect(parseS3Url('s3://b/kab/bekasi/', { AWS_REGION: 'ap-southeast-3' })).toEqual({ bucket: 'b', prefix: 'kab/bekasi/', region: 'ap-southeast-3', forcePathStyle: false });
    expect(parseS3Url('s3://b?endpoint=minio:9000&disableSSL=true&use_path_style=true', {})).toMatchObject({ endpoint: 'http://minio:9000', forcePathStyle: true });
    for (const bad of ['s3://', 'http://b/x', 'not a url']) {
      let err: unknown;
      try {
        parseS3Url(bad, {});
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AbortError);
      expect((err as AbortError).exitCode).toBe(EXIT.usage);
      expect((err as AbortError).message).toContain('PULUMI_BACKEND_URL');
    }
  });
});
