// The local cluster's volumes, the pure part: which PersistentVolumes the host-path provisioner must
// create for the claims of its StorageClass, which it must delete once their claim is gone, and which
// claims it cannot serve and why. Plain objects in (as the API server returns them), actions out; the
// provisioner process (provisioner.ts) does the I/O. The kube-controller-manager's PV controller binds
// each claim to the volume made for it (the volume's claimRef names the claim).
import { join } from 'node:path';

/** The provisioner's name, as a StorageClass's `provisioner` names it. */
export const PROVISIONER = 'desa.local/host-path';
/** The StorageClass it serves: the local cluster's default. */
export const STORAGE_CLASS = 'desa-local';
const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
/** On a volume: the folder on this machine that holds its data. */
export const VOLUME_PATH = 'desa.local/path';

/** The default StorageClass of the local cluster: claims without a class get it and bind at once. */
export function storageClass() {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: STORAGE_CLASS, annotations: { [DEFAULT_CLASS]: 'true' }, labels: { 'app.kubernetes.io/managed-by': 'desa' } },
    provisioner: PROVISIONER,
    // Deleting a claim deletes its data: Pulumi protects the desa's claims, so only `desa destroy
    // --delete-data` (or a person with kubectl) deletes one.
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  };
}

interface Meta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
}

export interface Claim {
  metadata: Meta;
  spec?: {
    storageClassName?: string | null;
    volumeName?: string;
    accessModes?: string[];
    volumeMode?: string;
    resources?: { requests?: { storage?: string } };
    selector?: unknown;
    dataSource?: unknown;
  };
  status?: { phase?: string };
}

export interface Volume {
  metadata: Meta;
  spec?: {
    claimRef?: { namespace?: string; name?: string; uid?: string };
    persistentVolumeReclaimPolicy?: string;
    storageClassName?: string;
    hostPath?: { path?: string };
  };
  status?: { phase?: string };
}

export interface Class {
  metadata: Meta;
  provisioner?: string;
  reclaimPolicy?: string;
}

export interface Actions {
  /** Volumes to create, each bound in advance to its claim. */
  create: { volume: ReturnType<typeof volumeFor>; path: string; claim: string }[];
  /** Volumes whose claim is gone (reclaim policy Delete): delete the folder, then the volume. */
  remove: { name: string; path: string | null }[];
  /** Claims of this class it will not serve, and why (said once as an Event on the claim). */
  refuse: { claim: Claim; reason: string }[];
}

const key = (c: Claim) => `${c.metadata.namespace}/${c.metadata.name}`;

/** The folder of a claim's volume under `dir` (the cluster's data folder's volumes/). */
export function volumePath(dir: string, c: Claim): string {
  return join(dir, `${c.metadata.namespace}_${c.metadata.name}_${c.metadata.uid}`);
}

/** Why a claim of this class cannot be served, or null. */
export function cannotServe(c: Claim): string | null {
  const s = c.spec ?? {};
  if (s.selector) return 'it has a selector: a host-path volume made for it could not match one';
  if (s.dataSource) return 'it asks for a data source (a snapshot or a clone), which host-path volumes cannot give';
  if (s.volumeMode === 'Block') return 'it asks for a block device; host-path volumes are folders (volumeMode Filesystem)';
  if (!s.resources?.requests?.storage) return 'it requests no storage size';
  return null;
}

export function volumeFor(c: Claim, path: string, reclaimPolicy: string) {
  const s = c.spec ?? {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: `pvc-${c.metadata.uid}`,
      annotations: { [PROVISIONED_BY]: PROVISIONER, [VOLUME_PATH]: path },
      labels: { 'app.kubernetes.io/managed-by': 'desa' },
    },
    spec: {
      capacity: { storage: s.resources!.requests!.storage! },
      accessModes: s.accessModes?.length ? s.accessModes : ['ReadWriteOnce'],
      volumeMode: 'Filesystem',
      persistentVolumeReclaimPolicy: reclaimPolicy,
      storageClassName: s.storageClassName!,
      hostPath: { path, type: 'DirectoryOrCreate' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: c.metadata.namespace!, name: c.metadata.name, uid: c.metadata.uid!, resourceVersion: c.metadata.resourceVersion },
    },
  };
}

/**
 * What to do now. `refused`: claims (namespace/name@uid) already told why they are refused, so each is
 * said once. A claim is served when its class's provisioner is this one, it waits (Pending, no volume
 * named) and no volume is made for it yet.
 */
export function reconcile(state: { claims: readonly Claim[]; volumes: readonly Volume[]; classes: readonly Class[] }, o: { dir: string; refused?: ReadonlySet<string> }): Actions {
  const ours = new Map(state.classes.filter((k) => k.provisioner === PROVISIONER).map((k) => [k.metadata.name, k]));
  const claimed = new Set(state.volumes.map((v) => v.spec?.claimRef?.uid).filter(Boolean));
  const actions: Actions = { create: [], remove: [], refuse: [] };
  for (const c of state.claims) {
    const cls = c.spec?.storageClassName ? ours.get(c.spec.storageClassName) : undefined;
    if (!cls || c.metadata.deletionTimestamp || c.spec?.volumeName || (c.status?.phase && c.status.phase !== 'Pending')) continue;
    if (claimed.has(c.metadata.uid)) continue;
    const why = cannotServe(c);
    if (why) {
      if (!o.refused?.has(`${key(c)}@${c.metadata.uid}`)) actions.refuse.push({ claim: c, reason: why });
      continue;
    }
    const path = volumePath(o.dir, c);
    actions.create.push({ volume: volumeFor(c, path, cls.reclaimPolicy ?? 'Delete'), path, claim: key(c) });
  }
  const claims = new Set(state.claims.map((c) => c.metadata.uid));
  for (const v of state.volumes) {
    if (v.metadata.annotations?.[PROVISIONED_BY] !== PROVISIONER || v.metadata.deletionTimestamp) continue;
    if (v.spec?.persistentVolumeReclaimPolicy !== 'Delete') continue;
    const uid = v.spec?.claimRef?.uid;
    const released = v.status?.phase === 'Released' || v.status?.phase === 'Failed' || (uid !== undefined && !claims.has(uid) && v.status?.phase !== 'Pending');
    if (released) actions.remove.push({ name: v.metadata.name, path: v.metadata.annotations?.[VOLUME_PATH] ?? v.spec?.hostPath?.path ?? null });
  }
  return actions;
}

/**
 * Why claims without a class would not bind here, from the cluster's StorageClasses, or null: there is no
 * default class, or the default is not served by this provisioner (then nothing here provisions it).
 */
export function defaultClassProblem(classes: readonly { metadata: { name: string; annotations?: Record<string, string> }; provisioner?: string }[]): string | null {
  const defaults = classes.filter((c) => c.metadata.annotations?.[DEFAULT_CLASS] === 'true');
  if (defaults.length === 0) return 'the local cluster has no default StorageClass';
  if (!defaults.some((c) => c.provisioner === PROVISIONER)) {
    return `the local cluster's default StorageClass (${defaults.map((c) => c.metadata.name).join(', ')}) is not served by its provisioner ${PROVISIONER}`;
  }
  return null;
}
