// Benchmark (issue 3): provisioning the desa on the local control plane, beside two baselines in the same
// run, each on its own fresh cluster (own DESA_STATE_DIR and ports; cluster start-up is not timed):
//
//   desa     `desa up --only <N-1 desa>`: the platform stack, then N-1 desa stacks, through the real engine
//            (one Node process hosting every program inline, one Pulumi CLI process per stack operation).
//   plain    the same stacks by plain `pulumi up`, driven by a shell loop at the same concurrency
//            (`bash plain-up.sh platform && xargs -P C -n 1 bash plain-up.sh < stacks`). The Node.js language
//            host cannot be built here, so each stack gets what it would start: one Node process hosting
//            the program (bench/plain-host.ts, the Automation API's LanguageServer on 127.0.0.1), then
//            `pulumi stack init` and `pulumi up --yes --skip-preview --client=… --exec-kind auto.inline`
//            in the stack's own directory (Pulumi.yaml + Pulumi.<stack>.yaml written beforehand).
//   kubectl  the floor the API server allows: the same Kubernetes objects, rendered beforehand under
//            Pulumi's mock runtime (bench/render-manifests.ts), applied with `kubectl apply --server-side
//            -f <dir per stack>`, platform first, then `xargs -P C`. No engine, no state, no readiness wait.
//
// On the desa cluster it then times onboarding the N-th desa (`desa up --only <it>`) into the N-1 already
// provisioned, and a no-change `desa up` of all N; on a fourth cluster, onboarding the same desa into an
// inventory where only a few desa are provisioned, to show it does not depend on how many exist.
//
// Wall time is the driving process's, from spawn to exit. Peak memory is the largest sum, over ~200 ms
// samples from /proc, of the RSS of the driving process and all its descendants (Node, Pulumi CLIs,
// kubernetes plugins, language hosts, kubectl, shells); the cluster's own processes are daemons of
// toolchain/cluster.sh and are excluded (and reported separately: kube-apiserver + etcd at the end).
//
//   npm run bench:provision -- [--count N] [--concurrency C] [--only-variants desa,plain,kubectl]
//                              [--small K] [--port-base 29100] [--keep]
// Results: a markdown table on stdout, the JSON in bench/out/provision-<date>.json, progress on stderr.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { registerUp } from '../cli/commands/up.ts';
import { cacheDir, PROJECT, stateDirs } from '../cli/paths.ts';
import { localClusterConfig } from '../cli/cluster/target.ts';
import { kubernetesPluginVersion } from '../cli/toolchain/doctor.ts';
import { kubectlPath, missingClusterBinaries, readPins } from '../cli/toolchain/pins.ts';
import { findEngine, passphraseEnv } from '../cli/engine/automation.ts';
import { loadInventory } from '../core/inventory/load.ts';
import { PLATFORM_STACK } from '../core/inventory/model.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench/out');
const NODE = process.execPath;
const DESA = join(ROOT, 'bin/desa');
const PLAIN_UP = join(ROOT, 'bench/plain-up.sh');
const PLAIN_HOST = join(ROOT, 'bench/plain-host.ts');
const RENDER = join(ROOT, 'bench/render-manifests.ts');
const TERRAGRUNT = { stacks: 187, seconds: 6.5 * 60, source: 'gruntwork-io/terragrunt#2480' };
const SAMPLE_MS = 200;
const PAGE = 4096;
const VARIANTS = ['desa', 'plain', 'kubectl'] as const;
type Variant = (typeof VARIANTS)[number];

// ---------------------------------------------------------------------------------------------------
// options
// ---------------------------------------------------------------------------------------------------

/** The default of `desa up --concurrency`, read from the command's own definition. */
function upDefaultConcurrency(): number {
  const program = new Command();
  registerUp(program);
  const opt = program.commands.find((c) => c.name() === 'up')?.options.find((o) => o.long === '--concurrency');
  return Number(opt?.defaultValue ?? 2);
}

const inventorySource = join(ROOT, 'desa.yaml');
const allUnits = loadInventory(inventorySource).inventory.units;

const cli = new Command('bench:provision')
  .description('Provision desa stacks with desa up, a plain pulumi up shell loop and kubectl apply --server-side; print wall time and peak memory.')
  .option('--count <n>', 'desa in the run, the first N of desa.yaml: N-1 provisioned, then the N-th onboarded', String(allUnits.length))
  .option('--concurrency <n>', 'stacks at the same time, in every variant', String(upDefaultConcurrency()))
  .option('--only-variants <list>', 'comma-separated: desa,plain,kubectl', VARIANTS.join(','))
  .option('--small <n>', 'desa provisioned before the second onboarding timing', '10')
  .option('--port-base <port>', 'first cluster port base (each cluster takes base, +1, +3; clusters are 10 apart)', '29100')
  .option('--keep', 'keep the temporary folder (inventory copy, state, logs, manifests)')
  .parse();
const opts = cli.opts<{ count: string; concurrency: string; onlyVariants: string; small: string; portBase: string; keep?: boolean }>();

const int = (v: string, name: string, min: number, max: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) cli.error(`--${name} must be a whole number from ${min} to ${max}, not "${v}".`);
  return n;
};
const COUNT = int(opts.count, 'count', 2, allUnits.length);
const CONCURRENCY = int(opts.concurrency, 'concurrency', 1, 32);
const PORT_BASE = int(opts.portBase, 'port-base', 1024, 65000);
const variants = opts.onlyVariants.split(',').map((s) => s.trim()).filter(Boolean);
for (const v of variants) if (!(VARIANTS as readonly string[]).includes(v)) cli.error(`--only-variants: unknown variant "${v}" (desa, plain, kubectl).`);
const runs = (v: Variant) => variants.includes(v);

const units = allUnits.slice(0, COUNT);
const newcomer = units.at(-1)!;
const base = units.slice(0, -1);
const SMALL = Math.min(int(opts.small, 'small', 1, allUnits.length), Math.max(1, Math.floor(base.length / 2)));

// ---------------------------------------------------------------------------------------------------
// processes: spawn detached (own process group, so Ctrl-C reaches only this script, which then stops
// each group itself), output to a log file, optional memory sampling of the whole tree
// ---------------------------------------------------------------------------------------------------

const say = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
let aborted = false;
const live = new Set<ChildProcess>();

interface Ran {
  code: number | null;
  seconds: number;
  peakMiB: number | null;
  peakProcesses: number;
  stdout: string;
  log: string;
}

interface ProcTable {
  children: Map<number, number[]>;
  rss: Map<number, number>;
}

/** Every process's parent and resident memory, from /proc/<pid>/stat. */
function procTable(): ProcTable {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid … rss is field 24; comm may hold spaces and parentheses.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    rss.set(pid, Number(rest[21]) * PAGE);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid)!.push(pid);
  }
  return { children, rss };
}

/** `root` and all its descendants. */
function treePids(root: number, exclude: Set<number> = new Set(), { children, rss }: ProcTable = procTable()): number[] {
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    if (exclude.has(pid) || !rss.has(pid)) continue;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** RSS (bytes) of `root` and all its descendants, excluding `exclude`, with the number of processes. */
function treeRss(root: number, exclude: Set<number>): { bytes: number; processes: number } {
  const table = procTable();
  const pids = treePids(root, exclude, table);
  return { bytes: pids.reduce((n, pid) => n + table.rss.get(pid)!, 0), processes: pids.length };
}

interface RunOptions {
  env: NodeJS.ProcessEnv;
  log: string;
  cwd?: string;
  /** Sample the tree's memory; cluster pids to leave out. */
  sample?: Set<number>;
  /** A line of progress every 30 s. */
  progress?: () => string;
}

function run(cmd: string, args: string[], o: RunOptions): Promise<Ran> {
  if (aborted) return Promise.reject(new Error('interrupted'));
  const fd = openSync(o.log, 'a');
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd: o.cwd ?? ROOT, env: o.env, detached: true, stdio: ['ignore', 'pipe', fd] });
  closeSync(fd);
  live.add(child);
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  let peak = 0;
  let peakProcesses = 0;
  const sample = () => {
    if (!o.sample || child.pid === undefined) return;
    const t = treeRss(child.pid, o.sample);
    if (t.bytes > peak) peak = t.bytes;
    if (t.processes > peakProcesses) peakProcesses = t.processes;
  };
  const sampler = o.sample ? setInterval(sample, SAMPLE_MS) : undefined;
  sample();
  const ticker = o.progress ? setInterval(() => say(`  … ${((performance.now() - t0) / 1000).toFixed(0)} s: ${o.progress!()}`), 30_000) : undefined;
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      clearInterval(ticker);
      live.delete(child);
      if (stdout) writeFileSync(`${o.log}.stdout`, stdout);
      done({ code, seconds, peakMiB: o.sample ? peak / 1024 / 1024 : null, peakProcesses, stdout, log: o.log });
    });
  });
}

const tail = (file: string, lines = 15) => {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
};

// ---------------------------------------------------------------------------------------------------
// the inventory copy, the engine, clusters
// ---------------------------------------------------------------------------------------------------

const engine = await findEngine().catch((e: Error) => {
  say(`${e.message} Run \`bin/desa doctor\`.`);
  process.exit(1);
});
const pins = readPins(ROOT);
const kubectl = kubectlPath(cacheDir(), pins);
const PULUMI = join(engine.cliRoot, 'bin', 'pulumi');
const missing = missingClusterBinaries(cacheDir(), pins);
if (missing.length) {
  say(`the local cluster is not built (${missing.join(', ')} missing): run \`bin/desa cluster up\` once first (it builds it).`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'desa-bench-provision-'));
const logs = join(work, 'logs');
mkdirSync(logs, { recursive: true });
const inventory = join(work, 'inventory', 'desa.yaml');
mkdirSync(join(work, 'inventory'));
cpSync(inventorySource, inventory);
cpSync(join(ROOT, 'data'), join(work, 'inventory', 'data'), { recursive: true });

interface Cluster {
  name: string;
  env: NodeJS.ProcessEnv;
  dirs: ReturnType<typeof stateDirs>;
  portBase: number;
}
const started: Cluster[] = [];

function cluster(name: string, index: number): Cluster {
  const stateDir = join(work, name, '.desa');
  const portBase = PORT_BASE + index * 10;
  const env = {
    ...process.env,
    NO_COLOR: '1',
    DESA_STATE_DIR: stateDir,
    DESA_CLUSTER_PORT_BASE: String(portBase),
    DESA_ETCD_UNSAFE_NO_FSYNC: 'true',
    // Stacks only, as the baselines do: no loopback servers and no services sync (bench:services times those).
    DESA_SERVICES: 'off',
  };
  return { name, env, dirs: stateDirs(inventory, env), portBase };
}

async function clusterUp(c: Cluster): Promise<void> {
  say(`[${c.name}] starting a fresh cluster (ports ${c.portBase}, +1, +3; not timed)`);
  started.push(c);
  const r = await run(DESA, ['cluster', 'up', '--file', inventory], { env: c.env, log: join(logs, `${c.name}-cluster.log`) });
  if (r.code !== 0) throw new Error(`[${c.name}] desa cluster up exited ${r.code}:\n${tail(r.log)}`);
}

async function clusterDown(c: Cluster): Promise<void> {
  const i = started.indexOf(c);
  if (i < 0) return;
  started.splice(i, 1);
  const log = join(logs, `${c.name}-cluster.log`);
  const child = spawn(DESA, ['cluster', 'down', '--file', inventory], { env: c.env, detached: true, stdio: ['ignore', 'ignore', openSync(log, 'a')] });
  const code = await new Promise<number | null>((done) => child.on('close', done).on('error', () => done(-1)));
  if (code !== 0) say(`[${c.name}] desa cluster down exited ${code}; see ${log}`);
}

/** Pids of the cluster's own processes (toolchain/cluster.sh writes them to run/<name>.pid). */
function clusterPids(c: Cluster): Map<string, number> {
  const run = join(c.dirs.cluster, 'run');
  const out = new Map<string, number>();
  for (const f of existsSync(run) ? readdirSync(run) : []) {
    const pid = Number(readFileSync(join(run, f), 'utf8').trim());
    if (f.endsWith('.pid') && pid > 0) out.set(f.slice(0, -4), pid);
  }
  return out;
}

/** kube-apiserver + etcd: resident now and their peak (VmHWM), in MiB. */
function controlPlaneMiB(c: Cluster): { rss: number; hwm: number } | null {
  let rss = 0;
  let hwm = 0;
  for (const name of ['kube-apiserver', 'etcd']) {
    const pid = clusterPids(c).get(name);
    if (!pid) return null;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      hwm += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      return null;
    }
  }
  return { rss: rss / 1024, hwm: hwm / 1024 };
}

// Every object the stacks create carries this label (stacks/labels.ts COMMON_LABELS).
const PART_OF = 'app.kubernetes.io/part-of=desa';
let kinds = ['namespace', 'secret', 'configmap', 'deployment', 'service', 'ingress', 'networkpolicy', 'resourcequota', 'limitrange'];

async function countObjects(c: Cluster): Promise<number | null> {
  const r = await run(kubectl, ['--kubeconfig', c.dirs.kubeconfig, 'get', kinds.join(','), '-A', '-l', PART_OF, '-o', 'name'], {
    env: c.env,
    log: join(logs, `${c.name}-count.log`),
  });
  return r.code === 0 ? r.stdout.split('\n').filter(Boolean).length : null;
}

// ---------------------------------------------------------------------------------------------------
// results
// ---------------------------------------------------------------------------------------------------

interface Result {
  id: string;
  what: string;
  stacks: number;
  ok: boolean;
  seconds: number;
  peakMiB: number | null;
  peakProcesses: number;
  objects?: number | null;
  controlPlaneMiB?: { rss: number; hwm: number } | null;
  detail?: Record<string, unknown>;
  error?: string;
}
const results: Result[] = [];
const problems: string[] = [];

function record(r: Result): Result {
  results.push(r);
  const mem = r.peakMiB === null ? '' : `, peak ${r.peakMiB.toFixed(0)} MiB over ${r.peakProcesses} processes`;
  const [first, ...more] = (r.error ?? '').split('\n');
  say(`  ${r.ok ? 'done' : 'FAILED'}: ${r.seconds.toFixed(1)} s${mem}${first ? `: ${first}` : ''}`);
  if (more.length && !aborted) process.stderr.write(`${more.map((l) => `    ${l}`).join('\n')}\n`);
  if (!r.ok) problems.push(`${r.id}: ${r.error ?? 'failed'}`);
  return r;
}

interface UpJson {
  ok: boolean;
  stacks: { stack: string; result: string; seconds: number; changes: { create: number; update: number; delete: number; same: number } | null; error?: string }[];
}

/** `desa up` on a cluster, timed and sampled; its JSON summary checked against what was expected. */
async function desaUp(c: Cluster, id: string, what: string, only: string[] | null, expect: 'create' | 'none'): Promise<Result> {
  const args = ['up', '--file', inventory, ...(only ? ['--only', ...only] : []), '--concurrency', String(CONCURRENCY), '--json'];
  const log = join(logs, `${id}.log`);
  say(`[${c.name}] ${what}…`);
  const r = await run(DESA, args, {
    env: c.env,
    log,
    sample: new Set(clusterPids(c).values()),
    progress: () => `${(readFileSync(log, 'utf8').match(/^\[[^\]]+\] (done|failed|skipped|cancelled)\b/gm) ?? []).length} stacks finished`,
  });
  let summary: UpJson | null = null;
  try {
    summary = JSON.parse(r.stdout) as UpJson;
  } catch {
    // reported below
  }
  const stacks = summary?.stacks ?? [];
  const sum = (k: 'create' | 'update' | 'delete' | 'same') => stacks.reduce((n, s) => n + (s.changes?.[k] ?? 0), 0);
  const changed = sum('create') + sum('update') + sum('delete');
  let error: string | undefined;
  if (r.code !== 0 || !summary?.ok) {
    const failed = stacks.filter((s) => s.result !== 'succeeded').map((s) => `${s.stack}: ${s.error ?? s.result}`);
    error = `desa up exited ${r.code}${failed.length ? ` (${failed.slice(0, 3).join('; ')})` : ''}\n${tail(log)}`;
  } else if (expect === 'none' && changed > 0) {
    error = `expected no changes, got ${sum('create')} created, ${sum('update')} updated, ${sum('delete')} deleted`;
  } else if (expect === 'create' && sum('create') === 0) {
    error = 'expected resources to be created, none were';
  }
  const perStack = stacks.filter((s) => s.stack !== PLATFORM_STACK).map((s) => s.seconds).sort((a, b) => a - b);
  return record({
    id,
    what,
    stacks: stacks.length || (only?.length ?? units.length) + 1,
    ok: !error,
    seconds: r.seconds,
    peakMiB: r.peakMiB,
    peakProcesses: r.peakProcesses,
    detail: {
      created: sum('create'),
      updated: sum('update'),
      deleted: sum('delete'),
      unchanged: sum('same'),
      platformSeconds: stacks.find((s) => s.stack === PLATFORM_STACK)?.seconds ?? null,
      desaSecondsMedian: perStack.length ? perStack[Math.floor(perStack.length / 2)] : null,
      desaSecondsMax: perStack.at(-1) ?? null,
    },
    ...(error ? { error } : {}),
  });
}

// ---------------------------------------------------------------------------------------------------
// the variants
// ---------------------------------------------------------------------------------------------------

const slugs = (us: typeof units) => us.map((u) => u.slug);
/** Stack configuration as desa writes it: plain strings, objects as JSON (Config.getObject parses them). */
const configValues = (kubeconfig: string): Record<string, string> =>
  Object.fromEntries(Object.entries(localClusterConfig(inventory, kubeconfig)).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
const baseStacks = [PLATFORM_STACK, ...base.map((u) => u.stack)];

async function variantDesa(): Promise<void> {
  const c = cluster('desa', 0);
  await clusterUp(c);
  const first = await desaUp(c, 'desa-up', `desa up: platform + ${base.length} desa`, slugs(base), 'create');
  first.objects = await countObjects(c);
  first.controlPlaneMiB = controlPlaneMiB(c);
  await desaUp(c, 'onboard-large', `onboarding ${newcomer.slug} with ${base.length} desa provisioned: desa up --only ${newcomer.slug}`, [newcomer.slug], 'create');
  const all = COUNT === allUnits.length ? null : slugs(units);
  const noChange = await desaUp(c, 'desa-up-no-change', `no-change desa up: platform + ${units.length} desa`, all, 'none');
  noChange.objects = await countObjects(c);
  noChange.controlPlaneMiB = controlPlaneMiB(c);
  await clusterDown(c);

  const small = cluster('desa-small', 3);
  await clusterUp(small);
  const setup = join(logs, 'onboard-small-setup.log');
  say(`[${small.name}] provisioning platform + ${SMALL} desa first (not timed)…`);
  const s = await run(DESA, ['up', '--file', inventory, '--only', ...slugs(base.slice(0, SMALL)), '--concurrency', String(CONCURRENCY), '--json'], {
    env: small.env,
    log: setup,
  });
  if (s.code !== 0) throw new Error(`[${small.name}] desa up of ${SMALL} desa exited ${s.code}:\n${tail(setup)}`);
  await desaUp(small, 'onboard-small', `onboarding ${newcomer.slug} with ${SMALL} desa provisioned: desa up --only ${newcomer.slug}`, [newcomer.slug], 'create');
  await clusterDown(small);
}

async function variantPlain(): Promise<void> {
  const c = cluster('plain', 1);
  await clusterUp(c);
  // Untimed set-up: one directory per stack with its project and stack settings, as a hand-written
  // project would have; the same configuration desa up sets (localClusterConfig), the same file backend
  // layout and passphrase handling.
  const root = join(work, 'plain', 'stacks');
  const config = configValues(c.dirs.kubeconfig);
  mkdirSync(c.dirs.backend, { recursive: true });
  for (const stack of baseStacks) {
    const dir = join(root, stack);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Pulumi.yaml'), stringify({ name: PROJECT, runtime: 'nodejs', backend: { url: `file://${c.dirs.backend}` } }));
    writeFileSync(join(dir, `Pulumi.${stack}.yaml`), stringify({ config }));
  }
  const list = join(work, 'plain', 'desa-stacks.txt');
  writeFileSync(list, `${baseStacks.slice(1).join('\n')}\n`);
  const env: NodeJS.ProcessEnv = {
    ...c.env,
    PLAIN_WORK: root,
    PLAIN_PULUMI: PULUMI,
    PLAIN_NODE: NODE,
    PLAIN_HOST,
    PULUMI_HOME: engine.pulumiHome,
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    ...passphraseEnv(c.dirs.passphraseFile, process.env),
  };
  // As Pulumi's language host would start Node: without the compile cache bin/desa turns on.
  delete env.NODE_COMPILE_CACHE;
  say(`[${c.name}] plain pulumi up shell loop: platform, then ${base.length} desa with xargs -P ${CONCURRENCY}…`);
  const log = join(logs, 'plain-up.log');
  const done = () => baseStacks.filter((s) => existsSync(join(root, s, 'rc'))).length;
  const r = await run('sh', ['-c', 'bash "$0" platform && xargs -P "$1" -n 1 bash "$0" <"$2"', PLAIN_UP, String(CONCURRENCY), list], {
    env,
    log,
    sample: new Set(clusterPids(c).values()),
    progress: () => `${done()} stacks finished`,
  });
  const failed = baseStacks.filter((s) => {
    const rc = join(root, s, 'rc');
    return !existsSync(rc) || readFileSync(rc, 'utf8').trim() !== '0';
  });
  const created = baseStacks.reduce((n, s) => {
    const m = /\+ (\d+) created/.exec(existsSync(join(root, s, 'up.log')) ? readFileSync(join(root, s, 'up.log'), 'utf8') : '');
    return n + Number(m?.[1] ?? 0);
  }, 0);
  const error =
    r.code !== 0 || failed.length
      ? `shell loop exited ${r.code}; failed: ${failed.slice(0, 5).join(', ')}${failed[0] ? `\n${tail(join(root, failed[0], 'up.log'))}` : ''}`
      : undefined;
  const res = record({
    id: 'plain-up',
    what: `plain pulumi up, shell loop (xargs -P ${CONCURRENCY}): platform + ${base.length} desa`,
    stacks: baseStacks.length,
    ok: !error,
    seconds: r.seconds,
    peakMiB: r.peakMiB,
    peakProcesses: r.peakProcesses,
    detail: { created, failed },
    ...(error ? { error } : {}),
  });
  res.objects = await countObjects(c);
  res.controlPlaneMiB = controlPlaneMiB(c);
  await clusterDown(c);
}

interface Rendered {
  stacks: Record<string, number>;
  kinds: string[];
}

async function render(): Promise<{ dir: string; rendered: Rendered; labelled: number }> {
  const dir = join(work, 'kubectl', 'manifests');
  const config = configValues('/nonexistent/kubeconfig');
  const stacks = [...baseStacks, newcomer.stack];
  say(`rendering the Kubernetes objects of ${stacks.length} stacks under Pulumi's mock runtime (not timed)…`);
  const log = join(logs, 'render.log');
  const r = await run(NODE, ['--disable-warning=ExperimentalWarning', RENDER, dir, JSON.stringify(config), ...stacks], { env: process.env, log });
  if (r.code !== 0) throw new Error(`render-manifests.ts exited ${r.code}:\n${tail(log)}`);
  const rendered = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Rendered;
  // Objects of the base stacks that carry the common label: what each variant must leave in its cluster.
  let labelled = 0;
  for (const s of baseStacks) {
    for (const f of readdirSync(join(dir, s))) if (readFileSync(join(dir, s, f), 'utf8').includes('app.kubernetes.io/part-of: desa')) labelled++;
  }
  return { dir, rendered, labelled };
}

async function variantKubectl(manifests: string): Promise<void> {
  const c = cluster('kubectl', 2);
  await clusterUp(c);
  const cache = join(work, 'kubectl', 'kube-cache');
  // Discovery cached beforehand, as on any machine that used kubectl against this cluster before.
  await run(kubectl, ['--kubeconfig', c.dirs.kubeconfig, '--cache-dir', cache, 'api-resources'], { env: c.env, log: join(logs, 'kubectl-discovery.log') });
  const list = join(work, 'kubectl', 'desa-dirs.txt');
  writeFileSync(list, `${base.map((u) => join(manifests, u.stack)).join('\n')}\n`);
  say(`[${c.name}] kubectl apply --server-side: platform, then ${base.length} desa with xargs -P ${CONCURRENCY}…`);
  const log = join(logs, 'kubectl-apply.log');
  const loop =
    'k=$0 kubeconfig=$1 cache=$2 platform=$3 c=$4 list=$5; ' +
    '"$k" --kubeconfig "$kubeconfig" --cache-dir "$cache" apply --server-side -f "$platform" && ' +
    'xargs -P "$c" -n 1 "$k" --kubeconfig "$kubeconfig" --cache-dir "$cache" apply --server-side -f <"$list"';
  const r = await run('sh', ['-c', loop, kubectl, c.dirs.kubeconfig, cache, join(manifests, PLATFORM_STACK), String(CONCURRENCY), list], {
    env: c.env,
    log,
    sample: new Set(clusterPids(c).values()),
  });
  const res = record({
    id: 'kubectl-apply',
    what: `kubectl apply --server-side (xargs -P ${CONCURRENCY}): platform + ${base.length} desa`,
    stacks: baseStacks.length,
    ok: r.code === 0,
    seconds: r.seconds,
    peakMiB: r.peakMiB,
    peakProcesses: r.peakProcesses,
    ...(r.code === 0 ? {} : { error: `exited ${r.code}\n${tail(log)}` }),
  });
  res.objects = await countObjects(c);
  res.controlPlaneMiB = controlPlaneMiB(c);
  await clusterDown(c);
}

// ---------------------------------------------------------------------------------------------------
// cleanup on every exit path
// ---------------------------------------------------------------------------------------------------

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    // Every process under each running step (desa runs each Pulumi CLI in a session of its own, so
    // signalling the process group is not enough): TERM, then KILL what is left after 5 s.
    const pids = [...live].flatMap((child) => (child.pid ? treePids(child.pid) : []));
    const signal = (sig: NodeJS.Signals) => {
      for (const pid of pids) {
        try {
          process.kill(pid, sig);
        } catch {
          // already gone
        }
      }
    };
    signal('SIGTERM');
    for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    signal('SIGKILL');
    for (const c of [...started].reverse()) {
      say(`[${c.name}] stopping its cluster…`);
      await clusterDown(c);
    }
  })();
  return cleaning;
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    if (aborted) return;
    aborted = true;
    say(`${sig}: stopping the running step and every cluster this benchmark started…`);
    void cleanup().finally(() => {
      say(`left ${work} for inspection`);
      process.exit(130);
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------------------------------

const startedAt = new Date();
const loadAtStart = loadavg();
say(
  `${units.length} desa (platform + ${base.length} provisioned, then ${newcomer.slug} onboarded), concurrency ${CONCURRENCY}, ` +
    `variants ${variants.join(', ')}; ${cpus().length} CPUs, load ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}; work in ${work}`,
);
if (loadAtStart[0]! > 1) say(`the machine is not idle (load ${loadAtStart[0]!.toFixed(2)}): the figures will be noisy`);
let failure: unknown;
let expected: number | null = null;
let renderedInfo: Rendered | null = null;
try {
  const { dir, rendered, labelled } = await render();
  renderedInfo = rendered;
  kinds = rendered.kinds.map((k) => k.toLowerCase());
  expected = labelled;
  if (runs('desa')) await variantDesa();
  if (runs('plain')) await variantPlain();
  if (runs('kubectl')) await variantKubectl(dir);
} catch (e) {
  failure = e;
} finally {
  if (!aborted) await cleanup();
}
if (aborted) await new Promise(() => {}); // the signal handler exits

// ---------------------------------------------------------------------------------------------------
// report
// ---------------------------------------------------------------------------------------------------

const byId = (id: string) => results.find((r) => r.id === id);
const ref = byId('desa-up');
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? `${(a / b).toFixed(2)}x` : '–');
const newObjects = renderedInfo?.stacks[newcomer.stack] ?? 0;
const expectedAfter = expected === null ? null : expected + newObjects;
const objectsCell = (r: Result, want: number | null) => (r.objects === undefined ? '' : `${r.objects ?? '?'}${want === null ? '' : `/${want}`}`);
const rows = results.map((r) => [
  r.what,
  String(r.stacks),
  `${r.seconds.toFixed(1)}`,
  r.peakMiB === null ? '–' : r.peakMiB.toFixed(0),
  r.id.startsWith('desa-up') || r.id.startsWith('onboard') ? (r.id === 'desa-up' ? '1.00x' : '') : ratio(r.seconds, ref?.seconds),
  r.id === 'plain-up' || r.id === 'kubectl-apply' ? ratio(r.peakMiB, ref?.peakMiB) : r.id === 'desa-up' ? '1.00x' : '',
  r.id.startsWith('onboard') ? '' : (r.seconds / r.stacks).toFixed(2),
  objectsCell(r, r.id === 'desa-up-no-change' ? expectedAfter : expected),
  r.controlPlaneMiB ? `${r.controlPlaneMiB.rss.toFixed(0)} (peak ${r.controlPlaneMiB.hwm.toFixed(0)})` : '',
  r.ok ? '' : 'FAILED',
]);
rows.push([`Terragrunt, 187 module directories (${TERRAGRUNT.source}, reference)`, '187', TERRAGRUNT.seconds.toFixed(0), '–', '', '', (TERRAGRUNT.seconds / TERRAGRUNT.stacks).toFixed(2), '', '', '']);
const header = ['run', 'stacks', 'wall s', 'peak MiB', 'wall vs desa up', 'memory vs desa up', 's/stack', 'objects', 'apiserver+etcd MiB', ''];
const used = header.map((_, i) => i < 4 || rows.some((r) => r[i] !== ''));
const pick = <T,>(cells: T[]) => cells.filter((_, i) => used[i]);
const widths = pick(header).map((h, i) => Math.max(h.length, ...rows.map((r) => pick(r)[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
const out: string[] = [];
out.push(
  `Provisioning benchmark, ${startedAt.toISOString().slice(0, 10)}: ${units.length} desa of ${allUnits.length}, concurrency ${CONCURRENCY}, ` +
    `Node ${process.version}, Pulumi CLI ${pins.PULUMI_VERSION}, kubernetes plugin v${kubernetesPluginVersion(ROOT)}, Kubernetes ${pins.KUBERNETES_VERSION}, ` +
    `${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load ${loadAtStart[0]!.toFixed(2)} at the start.`,
  '',
  line(pick(header)),
  `|${widths.map((w, i) => (i === 0 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`,
  ...rows.map((r) => line(pick(r))),
  '',
  `- Each run on its own fresh local cluster, started before the timer. Wall: spawn to exit of the driving process. Peak MiB: the largest`,
  `  sum of RSS over the driving process and all its descendants, sampled every ${SAMPLE_MS} ms (pages shared by several processes count in each);`,
  `  the cluster's processes are excluded, and apiserver+etcd MiB is their RSS after the run (peak: VmHWM since the cluster started).`,
  `- desa up: one Node process hosting every program inline through the Automation API, one Pulumi CLI process per stack operation.`,
  `- plain pulumi up: per stack, \`pulumi stack init\`, one Node process hosting the program (bench/plain-host.ts, Pulumi's own`,
  `  LanguageServer over gRPC, standing in for the Node.js language host, which cannot be built here), and \`pulumi up --yes`,
  `  --skip-preview --client=… --exec-kind auto.inline\` in the stack's own directory; driven by \`sh\` + \`xargs -P ${CONCURRENCY}\`.`,
  `- kubectl apply --server-side: the same objects rendered beforehand under Pulumi's mock runtime; no engine, no state, no readiness`,
  `  wait: the floor the API server allows.`,
  `- Onboarding: \`desa up --only ${newcomer.slug}\` (the platform stack, unchanged, then the new desa) into a cluster where ${base.length} and`,
  `  where ${SMALL} desa were provisioned; the two times should be close.`,
  `- objects: objects labelled ${PART_OF} in the cluster afterwards / rendered for the same stacks.`,
);
if (ref) {
  const perStack = ref.seconds / ref.stacks;
  const tg = TERRAGRUNT.seconds / TERRAGRUNT.stacks;
  out.push(
    `- Terragrunt (${TERRAGRUNT.source}): ${tg.toFixed(2)} s per module directory; desa up here: ${perStack.toFixed(2)} s per stack ` +
      `(${(perStack / tg).toFixed(2)}x)${ref.stacks === TERRAGRUNT.stacks ? '' : `, measured over ${ref.stacks} stacks, not ${TERRAGRUNT.stacks}`}.`,
  );
}
if (failure) out.push('', `Stopped early: ${failure instanceof Error ? failure.message : String(failure)}`);
if (problems.length) out.push('', 'Failures:', ...problems.map((p) => `- ${p.split('\n')[0]}`));
console.log(out.join('\n'));

mkdirSync(OUT, { recursive: true });
const jsonFile = join(OUT, `provision-${startedAt.toISOString().slice(0, 10)}.json`);
writeFileSync(
  jsonFile,
  `${JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), loadAtStart, loadAtEnd: loadavg() },
      versions: { node: process.version, pulumi: pins.PULUMI_VERSION, kubernetesPlugin: `v${kubernetesPluginVersion(ROOT)}`, kubernetes: pins.KUBERNETES_VERSION },
      options: { count: COUNT, concurrency: CONCURRENCY, variants, small: SMALL, portBase: PORT_BASE },
      desa: { provisioned: base.map((u) => u.slug), onboarded: newcomer.slug },
      objectsExpected: { base: expected, all: expectedAfter },
      terragrunt: TERRAGRUNT,
      results,
      ok: !failure && problems.length === 0,
      ...(failure ? { error: failure instanceof Error ? failure.message : String(failure) } : {}),
    },
    null,
    2,
  )}\n`,
);
say(`wrote ${jsonFile}`);
if (failure || problems.length) {
  say(`kept ${work} (logs in ${logs})`);
  process.exit(4);
}
if (opts.keep) say(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
