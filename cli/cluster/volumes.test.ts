import { describe, expect, it } from 'vitest';
import { type Claim, type Class, defaultClassProblem, PROVISIONER, reconcile, STORAGE_CLASS, storageClass, type Volume } from './volumes.ts';

const DIR = '/x/.desa/cluster/volumes';
const ours: Class = { metadata: { name: STORAGE_CLASS }, provisioner: PROVISIONER, reclaimPolicy: 'Delete' };
const other: Class = { metadata: { name: 'fast' }, provisioner: 'ebs.csi.aws.com' };

const claim = (name: string, o: Partial<NonNullable<Claim['spec']>> = {}, phase = 'Pending'): Claim => ({
  metadata: { name, namespace: 'desa-lambangjaya', uid: `uid-${name}`, resourceVersion: '7' },
  spec: { storageClassName: STORAGE_CLASS, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, ...o },
  status: { phase },
});

const volumeOf = (c: Claim, phase: string): Volume => ({
  metadata: { name: `pvc-${c.metadata.uid}`, annotations: { 'pv.kubernetes.io/provisioned-by': PROVISIONER, 'desa.local/path': `${DIR}/${c.metadata.namespace}_${c.metadata.name}_${c.metadata.uid}` } },
  spec: { claimRef: { namespace: c.metadata.namespace, name: c.metadata.name, uid: c.metadata.uid }, persistentVolumeReclaimPolicy: 'Delete', storageClassName: STORAGE_CLASS },
  status: { phase },
});

describe('the default StorageClass', () => {
  it('is the default, served by the host-path provisioner, binding at once', () => {
    expect(storageClass()).toMatchObject({
      metadata: { name: 'desa-local', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'desa.local/host-path',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    });
  });
});

describe('what up checks before a desa with volumes runs', () => {
  it('a default StorageClass served here: no problem; none, or another provisioner\'s: the cause', () => {
    expect(defaultClassProblem([storageClass()])).toBeNull();
    expect(defaultClassProblem([])).toBe('the local cluster has no default StorageClass');
    expect(defaultClassProblem([{ ...storageClass(), metadata: { name: 'desa-local' } }])).toBe('the local cluster has no default StorageClass');
    expect(defaultClassProblem([{ metadata: { name: 'fast', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'ebs.csi.aws.com' }])).toBe(
      "the local cluster's default StorageClass (fast) is not served by its provisioner desa.local/host-path",
    );
  });
});

describe('reconcile', () => {
  it('a waiting claim of its class gets a folder and a volume bound to it in advance, of its size and modes', () => {
    const c = claim('lambangjaya-site-opensid-files');
    const a = reconcile({ claims: [c], volumes: [], classes: [ours, other] }, { dir: DIR });
    expect(a.remove).toEqual([]);
    expect(a.refuse).toEqual([]);
    expect(a.create).toHaveLength(1);
    const { volume, path } = a.create[0]!;
    expect(path).toBe(`${DIR}/desa-lambangjaya_lambangjaya-site-opensid-files_uid-lambangjaya-site-opensid-files`);
    expect(volume).toMatchObject({
      kind: 'PersistentVolume',
      metadata: { name: 'pvc-uid-lambangjaya-site-opensid-files' },
      spec: {
        capacity: { storage: '5Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'desa-local',
        persistentVolumeReclaimPolicy: 'Delete',
        hostPath: { path, type: 'DirectoryOrCreate' },
        claimRef: { namespace: 'desa-lambangjaya', name: 'lambangjaya-site-opensid-files', uid: 'uid-lambangjaya-site-opensid-files' },
      },
    });
  });

  it('leaves alone claims of other classes, bound claims, and claims whose volume is made already', () => {
    const bound = claim('a', { volumeName: 'pvc-uid-a' }, 'Bound');
    const elsewhere = claim('b', { storageClassName: 'fast' });
    const noClass = claim('c', { storageClassName: null });
    const waiting = claim('d');
    const a = reconcile({ claims: [bound, elsewhere, noClass, waiting], volumes: [volumeOf(bound, 'Bound'), volumeOf(waiting, 'Available')], classes: [ours, other] }, { dir: DIR });
    expect(a).toEqual({ create: [], remove: [], refuse: [] });
  });

  it('a volume whose claim was deleted goes with its folder (reclaim policy Delete); Retain keeps it', () => {
    const gone = claim('gone');
    const kept = { ...volumeOf(claim('kept'), 'Released'), spec: { ...volumeOf(claim('kept'), 'Released').spec, persistentVolumeReclaimPolicy: 'Retain' } };
    const a = reconcile({ claims: [], volumes: [volumeOf(gone, 'Released'), kept], classes: [ours] }, { dir: DIR });
    expect(a.remove).toEqual([{ name: 'pvc-uid-gone', path: `${DIR}/desa-lambangjaya_gone_uid-gone` }]);
    // Not yet marked Released, but its claim no longer exists: the same.
    expect(reconcile({ claims: [], volumes: [volumeOf(gone, 'Bound')], classes: [ours] }, { dir: DIR }).remove).toHaveLength(1);
    // A volume someone else made is never touched.
    const foreign = { ...volumeOf(gone, 'Released'), metadata: { name: 'pv-hand-made', annotations: {} } };
    expect(reconcile({ claims: [], volumes: [foreign], classes: [ours] }, { dir: DIR }).remove).toEqual([]);
  });

  it('refuses, with the reason, claims no host-path volume can serve; once each', () => {
    const sel = claim('sel', { selector: { matchLabels: { a: 'b' } } });
    const block = claim('block', { volumeMode: 'Block' });
    const a = reconcile({ claims: [sel, block], volumes: [], classes: [ours] }, { dir: DIR });
    expect(a.create).toEqual([]);
    expect(a.refuse.map((r) => [r.claim.metadata.name, r.reason])).toEqual([
      ['sel', 'it has a selector: a host-path volume made for it could not match one'],
      ['block', 'it asks for a block device; host-path volumes are folders (volumeMode Filesystem)'],
    ]);
    const again = reconcile({ claims: [sel, block], volumes: [], classes: [ours] }, { dir: DIR, refused: new Set(['desa-lambangjaya/sel@uid-sel', 'desa-lambangjaya/block@uid-block']) });
    expect(again.refuse).toEqual([]);
  });
});
