// The local cluster's volume provisioner, a process toolchain/cluster.sh runs beside the control plane:
// it makes the cluster's default StorageClass (volumes.ts) and, for each claim of that class, a folder
// under the cluster's data folder (.desa/cluster/volumes) and a PersistentVolume for it, which the
// controller-manager binds to the claim; when a claim is deleted, its folder and volume go too. A claim
// it cannot serve gets a Warning event saying why. It reacts to watches on claims and volumes and
// re-reads everything every 30 s. Logs go to stdout (cluster.sh: logs/volume-provisioner.log).
//
//   bin/node cli/cluster/provisioner.ts --kubeconfig FILE --dir DIR
import { mkdirSync, rmSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { type KubeApi, kubeApi } from './kube-api.ts';
import { type Claim, type Class, PROVISIONER, reconcile, storageClass, type Volume } from './volumes.ts';

const RESYNC_MS = 30_000;

const log = (msg: string) => process.stdout.write(`${new Date().toISOString()} ${msg}\n`);

async function items<T>(api: KubeApi, path: string): Promise<T[]> {
  const r = await api.call('GET', path);
  if (r.status !== 200) throw new Error(`GET ${path}: HTTP ${r.status}`);
  return (r.body as { items: T[] }).items;
}

/** Creates the default StorageClass when it is not there (an existing one is left as it is). */
async function ensureClass(api: KubeApi): Promise<void> {
  const sc = storageClass();
  const path = `/apis/storage.k8s.io/v1/storageclasses`;
  const got = await api.call('GET', `${path}/${sc.metadata.name}`);
  if (got.status === 200) return;
  const r = await api.call('POST', path, sc);
  if (r.status !== 201 && r.status !== 409) throw new Error(`creating StorageClass ${sc.metadata.name}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  if (r.status === 201) log(`created the default StorageClass ${sc.metadata.name} (provisioner ${PROVISIONER})`);
}

async function warn(api: KubeApi, c: Claim, message: string): Promise<void> {
  const now = new Date().toISOString();
  const ns = c.metadata.namespace!;
  await api.call('POST', `/api/v1/namespaces/${ns}/events`, {
    metadata: { generateName: `${c.metadata.name}.`, namespace: ns },
    involvedObject: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: c.metadata.name, uid: c.metadata.uid },
    reason: 'ProvisioningFailed',
    message: `${PROVISIONER} cannot provision this claim: ${message}`,
    type: 'Warning',
    source: { component: PROVISIONER },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  });
}

export async function reconcileOnce(api: KubeApi, dir: string, refused: Set<string>): Promise<void> {
  // A class deleted by hand comes back; Kubernetes then gives it to the claims made without a class meanwhile.
  await ensureClass(api);
  const [claims, volumes, classes] = await Promise.all([
    items<Claim>(api, '/api/v1/persistentvolumeclaims'),
    items<Volume>(api, '/api/v1/persistentvolumes'),
    items<Class>(api, '/apis/storage.k8s.io/v1/storageclasses'),
  ]);
  const actions = reconcile({ claims, volumes, classes }, { dir, refused });
  for (const c of actions.create) {
    mkdirSync(c.path, { recursive: true, mode: 0o777 });
    const r = await api.call('POST', '/api/v1/persistentvolumes', c.volume);
    if (r.status === 201) log(`created ${c.volume.metadata.name} for ${c.claim} (${c.volume.spec.capacity.storage}) in ${c.path}`);
    else if (r.status !== 409) log(`could not create ${c.volume.metadata.name} for ${c.claim}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  }
  for (const v of actions.remove) {
    // Only a folder this provisioner made: under its own folder, never anything else.
    if (v.path && resolve(v.path).startsWith(resolve(dir) + sep)) rmSync(v.path, { recursive: true, force: true });
    const r = await api.call('DELETE', `/api/v1/persistentvolumes/${v.name}`);
    if (r.status === 200 || r.status === 202) log(`deleted ${v.name} and its folder: its claim is gone`);
    else if (r.status !== 404) log(`could not delete ${v.name}: HTTP ${r.status}`);
  }
  for (const x of actions.refuse) {
    refused.add(`${x.claim.metadata.namespace}/${x.claim.metadata.name}@${x.claim.metadata.uid}`);
    log(`refused ${x.claim.metadata.namespace}/${x.claim.metadata.name}: ${x.reason}`);
    await warn(api, x.claim, x.reason);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { kubeconfig: { type: 'string' }, dir: { type: 'string' } } });
  if (!values.kubeconfig || !values.dir) throw new Error('usage: provisioner.ts --kubeconfig FILE --dir DIR');
  const api = kubeApi(values.kubeconfig);
  const dir = resolve(values.dir);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const stop = new AbortController();
  for (const s of ['SIGTERM', 'SIGINT'] as const) process.on(s, () => stop.abort());
  const refused = new Set<string>();
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

  // One reconcile at a time; an event during one asks for another right after.
  let running = false;
  let again = false;
  const kick = async (): Promise<void> => {
    if (running) return void (again = true);
    running = true;
    try {
      do {
        again = false;
        await reconcileOnce(api, dir, refused);
      } while (again && !stop.signal.aborted);
    } catch (e) {
      log(`error: ${(e as Error).message}; retrying`);
      setTimeout(() => void kick(), 1000).unref();
    } finally {
      running = false;
    }
  };

  for (;;) {
    try {
      await ensureClass(api);
      break;
    } catch (e) {
      if (stop.signal.aborted) return;
      log(`waiting for the API server: ${(e as Error).message}`);
      await sleep(1000);
    }
  }
  log(`serving StorageClass claims with ${PROVISIONER}; volumes in ${dir}`);
  await kick();
  const resync = setInterval(() => void kick(), RESYNC_MS);
  const follow = async (path: string) => {
    while (!stop.signal.aborted) {
      try {
        await api.watch(`${path}?watch=1&timeoutSeconds=300`, () => void kick(), stop.signal);
      } catch (e) {
        if (!stop.signal.aborted) log(`watch ${path}: ${(e as Error).message}; again in 1 s`);
        await sleep(1000);
      }
    }
  };
  await Promise.all([follow('/api/v1/persistentvolumeclaims'), follow('/api/v1/persistentvolumes')]);
  clearInterval(resync);
  log('stopped');
}

if (import.meta.main) {
  main().catch((e) => {
    log(`fatal: ${(e as Error).stack ?? e}`);
    process.exit(1);
  });
}
