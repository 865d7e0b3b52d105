import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterChange, presentLocally, readLocalIdentity, recordedIdentity, writeLocalIdentity } from './identity.ts';

const a = { server: 'https://127.0.0.1:23793', uid: '1111', local: true as const };
const reset = { ...a, uid: '2222' };

describe('the cluster a stack was applied to', () => {
  it('is read from its outputs, and absent when not recorded', () => {
    expect(recordedIdentity({ url: 'x', cluster: { server: a.server, uid: a.uid, local: true } })).toEqual(a);
    expect(recordedIdentity({ cluster: { server: a.server, uid: a.uid } })).toEqual({ server: a.server, uid: a.uid });
    expect(recordedIdentity({ url: 'x' })).toBeNull();
    expect(recordedIdentity({ cluster: 'yes' })).toBeNull();
    expect(recordedIdentity(null)).toBeNull();
  });

  it('another cluster, or none recorded, means refresh first; the same, an empty stack or an unknown cluster do not', () => {
    expect(clusterChange(a, reset, true)).toMatch(/was reset or replaced/);
    expect(clusterChange(a, { server: 'https://prod:6443', uid: '3333' }, true)).toMatch(/another cluster \(https:\/\/127\.0\.0\.1:23793\)/);
    expect(clusterChange(null, a, true)).toMatch(/no cluster recorded/);
    expect(clusterChange(a, a, true)).toBeNull();
    expect(clusterChange(a, { ...a, server: 'https://10.0.0.1:6443' }, true)).toBeNull(); // same cluster, another URL
    expect(clusterChange(a, reset, false)).toBeNull(); // holds nothing: nothing to clear
    expect(clusterChange(a, null, true)).toBeNull();
  });

  it('the local cluster’s identity file: gone after a reset, so what was applied to it is not claimed', () => {
    const dirs = { cluster: join(mkdtempSync(join(tmpdir(), 'id-')), 'cluster') };
    expect(readLocalIdentity(dirs)).toBeNull();
    expect(presentLocally(a, readLocalIdentity(dirs))).toBe(false); // reset: no identity file
    writeLocalIdentity(dirs, reset);
    expect(readLocalIdentity(dirs)).toEqual(reset);
    expect(presentLocally(a, readLocalIdentity(dirs))).toBe(false); // a new cluster since
    expect(presentLocally(reset, readLocalIdentity(dirs))).toBe(true);
    expect(presentLocally({ server: 'https://prod:6443', uid: '9' }, null)).toBe(true); // not the local one: not judged here
    expect(presentLocally(null, null)).toBe(true);
  });
});
