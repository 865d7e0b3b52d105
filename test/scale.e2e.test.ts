// Past one machine (issue 15, part 3), on the real local cluster (DESA_CLUSTER_PORT_BASE=19790; its
// servers on 19800+) with Pulumi's S3 backend on the local Versity S3 gateway: two `desa up --shard K/2`
// started at the same moment split six desa between them, each provisioned exactly once, the platform
// by shard 1 while shard 2 waits for it, no lock conflict, a summary per shard; `desa status` reads the
// bucket; a fresh runner (no .desa/work) sharing only the bucket then finds every stack unchanged and
// starts no engine. Bad --shard values are usage errors before anything starts. The tests build on
// each other, in order.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Store } from '../cli/engine/backend-store.ts';
import { shardOf } from '../cli/engine/shard.ts';
import { readLocalServices, readServiceSecret } from '../cli/servers/state.ts';
import { STACK_TRACE } from './helpers/cli.ts';
import { DESA_BIN, edit, keepUnits, shippedText, tempInventory } from './helpers/inventory.ts';

const ENV = { NO_COLOR: '1', CI: 'true', DESA_CLUSTER_PORT_BASE: '19790', DESA_ETCD_UNSAFE_NO_FSYNC: 'true' };
const UNITS = ['setia-asih', 'segarajaya', 'pusaka-rakyat', 'sagara-makmur', 'setia-mulya', 'samudra-jaya'];
const BUCKET = 'desa-state';

interface StackJson {
  stack: string;
  result: string;
  note?: string;
  error?: string;
  unchangedInputs?: true;
  changes: { create: number; update: number; delete: number; same: number } | null;
}
interface UpJson {
  ok: boolean;
  stacks: StackJson[];
  shard?: { index: number; count: number; desa: number; of: number; offboarded: number; platform: string };
}

async function desa(args: string[], env: Record<string, string> = {}, timeout = 900_000) {
  const r = await execa(DESA_BIN, args, { env: { ...ENV, ...env }, extendEnv: true, reject: false, stdin: 'ignore', timeout });
  expect(String(r.stderr)).not.toMatch(STACK_TRACE);
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** A process and all its descendants (per thread: the Pulumi CLI starts plugins from any of them). */
function tree(pid: number): number[] {
  const children = (p: number): number[] => {
    try {
      return readdirSync(`/proc/${p}/task`).flatMap((t) => readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
      return [];
    }
  };
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...children(out[i]!));
  return out;
}

describe('--shard: usage errors before anything starts', () => {
  it('0/2, 3/2, a/b and --shard with --only: exit 2 naming the flag and what to write; no cluster, no state', async () => {
    const { file, dir } = tempInventory(keepUnits(shippedText(), UNITS));
    for (const [args, said] of [
      [['--shard', '0/2'], /--shard 0\/2: K must be from 1 to N \(2\)/],
      [['--shard', '3/2'], /--shard 3\/2: K must be from 1 to N \(2\)/],
      [['--shard', 'a/b'], /--shard a\/b: expected K\/N/],
      [['--shard', '1/2', '--only', 'setia-asih'], /--shard and --only cannot be used together/],
    ] as const) {
      for (const verb of ['up', 'plan']) {
        const r = await desa([verb, '--file', file, ...args], {}, 60_000);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(said);
        expect(r.stderr).toMatch(/--shard K\/N|Drop --only/);
      }
    }
    expect(existsSync(join(dir, '.desa'))).toBe(false);
  }, 120_000);
});

describe('two shards at once on the S3 backend', () => {
  let file: string;
  let dir: string;
  let clusterStarted = false;
  let s3env: Record<string, string> = {};

  beforeAll(async () => {
    ({ file, dir } = tempInventory(keepUnits(shippedText(), UNITS)));
  });

  afterAll(async () => {
    if (clusterStarted) await desa(['cluster', 'down', '--file', file], {}, 150_000);
  }, 160_000);

  it('the local cluster and its S3 gateway, a bucket for the state', async () => {
    clusterStarted = true;
    const r = await desa(['cluster', 'up', '--file', file], {}, 600_000);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    const services = readLocalServices(join(dir, '.desa', 'services'))!;
    const endpoint = `http://127.0.0.1:${services.ports.s3}`;
    const credentials = { accessKeyId: readServiceSecret(services.dir, 's3-root-access'), secretAccessKey: readServiceSecret(services.dir, 's3-root-secret') };
    await new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials }).send(new CreateBucketCommand({ Bucket: BUCKET }));
    s3env = {
      PULUMI_BACKEND_URL: `s3://${BUCKET}?endpoint=${endpoint}&s3ForcePathStyle=true&region=us-east-1`,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
      PULUMI_CONFIG_PASSPHRASE: 'the same passphrase in every runner',
    };
    // The store desa reads the bucket with: write, list, read, remove.
    const store = await s3Store(s3env.PULUMI_BACKEND_URL!, s3env);
    await store.put('probe/a.json', '{"a":1}');
    expect((await store.list('probe/')).map((o) => o.key)).toEqual(['probe/a.json']);
    expect((await store.get('probe/a.json'))?.toString()).toBe('{"a":1}');
    await store.remove('probe/a.json');
    expect(await store.get('probe/a.json')).toBeNull();
  }, 650_000);

  it('shard 1/2 and 2/2 started together: every desa provisioned once, the platform by shard 1, no lock conflict', async () => {
    const [one, two] = await Promise.all([desa(['up', '--file', file, '--shard', '1/2', '--json'], s3env), desa(['up', '--file', file, '--shard', '2/2', '--json'], s3env)]);
    // With --json the reason a run failed is in its summary on stdout; show both.
    expect(one.code, `${one.stderr.slice(-3000)}\n${one.stdout.slice(-3000)}`).toBe(0);
    expect(two.code, `${two.stderr.slice(-3000)}\n${two.stdout.slice(-3000)}`).toBe(0);
    const a = JSON.parse(one.stdout) as UpJson;
    const b = JSON.parse(two.stdout) as UpJson;
    const desaOf = (j: UpJson) => j.stacks.filter((s) => s.stack !== 'platform').map((s) => s.stack).sort();
    // Each desa in exactly one shard, as the assignment says; together all six.
    expect(desaOf(a)).toEqual(UNITS.filter((u) => shardOf(u, 2) === 1).sort());
    expect(desaOf(b)).toEqual(UNITS.filter((u) => shardOf(u, 2) === 2).sort());
    expect([...desaOf(a), ...desaOf(b)].sort()).toEqual([...UNITS].sort());
    for (const s of [...a.stacks, ...b.stacks]) expect(s.result, `${s.stack}: ${s.error ?? ''}`).toBe('succeeded');
    for (const s of [...a.stacks, ...b.stacks].filter((x) => x.stack !== 'platform')) expect(s.changes!.create, s.stack).toBeGreaterThan(0);
    // The platform: created by shard 1; shard 2 waited for it and ran nothing on it.
    expect(a.stacks[0]).toMatchObject({ stack: 'platform', result: 'succeeded' });
    expect(a.stacks[0]!.changes!.create).toBeGreaterThan(0);
    expect(b.stacks[0]).toMatchObject({ stack: 'platform', result: 'succeeded', note: 'in place: shard 1 runs it', changes: { create: 0, update: 0, delete: 0 } });
    expect(two.stderr).toMatch(/waiting for shard 1 to put the platform stack in place/);
    expect(`${one.stderr}${two.stderr}`).not.toMatch(/another run holds|currently locked/);
    expect(a.shard).toEqual({ index: 1, count: 2, desa: desaOf(a).length, of: 6, offboarded: 0, platform: 'ran' });
    expect(b.shard).toEqual({ index: 2, count: 2, desa: desaOf(b).length, of: 6, offboarded: 0, platform: 'waited' });
    // The state is in the bucket, not in a folder.
    expect(existsSync(join(dir, '.desa', 'state'))).toBe(false);
  }, 900_000);

  it('desa status reads the bucket: the platform and all six provisioned', async () => {
    const r = await desa(['status', '--file', file, '--json'], s3env, 120_000);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { counts: { units: number; provisioned: number }; platform: { provisioned: boolean } | null; units: { slug: string; provisioned: boolean }[] };
    expect(s.counts).toMatchObject({ units: 6, provisioned: 6 });
    expect(s.platform?.provisioned).toBe(true);
    expect(s.units.filter((u) => u.provisioned).map((u) => u.slug).sort()).toEqual([...UNITS].sort());
  }, 150_000);

  it('a fresh runner sharing only the bucket: no-change `desa up` runs no stack and starts no engine', async () => {
    rmSync(join(dir, '.desa', 'work'), { recursive: true, force: true });
    const r = await desa(['up', '--file', file, '--json'], s3env);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    const j = JSON.parse(r.stdout) as UpJson;
    expect(j.stacks).toHaveLength(7);
    for (const s of j.stacks) {
      expect(s, s.stack).toMatchObject({ result: 'succeeded', unchangedInputs: true, changes: { create: 0, update: 0, delete: 0 } });
    }
    // No stack was opened: the engine makes a work folder for every stack it opens.
    expect(existsSync(join(dir, '.desa', 'work')) ? readdirSync(join(dir, '.desa', 'work')) : []).toEqual([]);
  }, 600_000);

  it('a sharded no-change run says what its shard ran, in words', async () => {
    const r = await desa(['up', '--file', file, '--shard', '2/2'], s3env);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    const n = UNITS.filter((u) => shardOf(u, 2) === 2).length;
    expect(r.stdout).toContain(`shard 2/2: ${n} of 6 desa (the platform stack is shard 1's).`);
    expect(r.stdout).toContain(`${n + 1} stack(s): 0 changed, ${n + 1} unchanged`);
  }, 600_000);

  it('a run killed mid-update on the S3 backend: the next one cancels its lock and goes on', async () => {
    writeFileSync(file, edit(readFileSync(file, 'utf8'), 'slug: setia-asih\n', 'slug: setia-asih\n    programmes: [desa-digital-2022]\n'));
    const store = await s3Store(s3env.PULUMI_BACKEND_URL!, s3env);
    const locks = async () => (await store.list('.pulumi/locks/')).map((o) => o.key).filter((k) => k.includes('/setia-asih/'));
    const p = execa(DESA_BIN, ['up', '--file', file, '--concurrency', '1'], { env: { ...ENV, ...s3env }, extendEnv: true, reject: false, stdin: 'ignore', timeout: 300_000 });
    let seen = '';
    let ended = false;
    p.stderr!.on('data', (d: Buffer) => (seen += d.toString()));
    void p.finally(() => (ended = true));
    // Mid-update is while the engine holds the stack's lock: an update takes about a second, so look often.
    const deadline = Date.now() + 120_000;
    while ((await locks()).length === 0) {
      if (Date.now() > deadline || ended) throw new Error(`setia-asih was never seen locked mid-update; saw:\n${seen}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // Like a machine that loses power: freeze the whole tree until no new child appears, then kill it all.
    const signal = (pids: number[], sig: NodeJS.Signals) => pids.forEach((pid) => { try { process.kill(pid, sig); } catch { /* gone */ } });
    let frozen: number[] = [];
    for (let pids = tree(p.pid!); pids.length > frozen.length; pids = tree(p.pid!)) (signal(pids, 'SIGSTOP'), (frozen = pids));
    signal(frozen, 'SIGKILL');
    await p;
    expect(await locks()).toHaveLength(1);
    const r = await desa(['up', '--file', file], s3env);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(r.stderr).toMatch(/\[setia-asih\].*cancelled the lock left by a run that was killed/);
    expect((await store.list('.pulumi/locks/')).filter((o) => o.key.endsWith('.json'))).toEqual([]);
  }, 600_000);
});
