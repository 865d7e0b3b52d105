// The three variants: desa up (with the onboarding and no-change timings), the plain `pulumi up` shell
// loop, and kubectl apply --server-side of the same objects rendered beforehand.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { localClusterConfig } from '../../cli/cluster/target.ts';
import { passphraseEnv } from '../../cli/engine/automation.ts';
import { PROJECT } from '../../cli/paths.ts';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { cluster, clusterDown, clusterMiB, clusterPids, clusterUp, controlPlaneMiB, countObjects } from './clusters.ts';
import { run, say, tail } from './processes.ts';
import { desaUp, record } from './results.ts';
import { allUnits, base, CONCURRENCY, COUNT, DESA, engine, inventory, kubectl, logs, newcomer, NODE, PLAIN_HOST, PLAIN_UP, PULUMI, RENDER, SMALL, units, work } from './setup.ts';

const slugs = (us: typeof units) => us.map((u) => u.slug);
/** Stack configuration as desa writes it: plain strings, objects as JSON (Config.getObject parses them). */
const configValues = (kubeconfig: string): Record<string, string> =>
  Object.fromEntries(Object.entries(localClusterConfig(inventory, kubeconfig)).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
export const baseStacks = [PLATFORM_STACK, ...base.map((u) => u.stack)];

export async function variantDesa(): Promise<void> {
  const c = cluster('desa', 0);
  await clusterUp(c);
  const first = await desaUp(c, 'desa-up', `desa up: platform + ${base.length} desa`, base.length === allUnits.length ? null : slugs(base), 'create');
  first.objects = await countObjects(c);
  first.controlPlaneMiB = controlPlaneMiB(c);
  first.clusterMiB = clusterMiB(c);
  if (newcomer) {
    await desaUp(c, 'onboard-large', `onboarding ${newcomer.slug} with ${base.length} desa provisioned: desa up --only ${newcomer.slug}`, [newcomer.slug], 'create');
  }
  const all = COUNT === allUnits.length ? null : slugs(units);
  const noChange = await desaUp(c, 'desa-up-no-change', `no-change desa up: platform + ${units.length} desa`, all, 'none');
  noChange.objects = await countObjects(c);
  noChange.controlPlaneMiB = controlPlaneMiB(c);
  noChange.clusterMiB = clusterMiB(c);
  await clusterDown(c);
  if (!newcomer) return;

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

export async function variantPlain(): Promise<void> {
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
  res.clusterMiB = clusterMiB(c);
  await clusterDown(c);
}

export interface Rendered {
  stacks: Record<string, number>;
  kinds: string[];
}

export async function render(): Promise<{ dir: string; rendered: Rendered; labelled: number }> {
  const dir = join(work, 'kubectl', 'manifests');
  const config = configValues('/nonexistent/kubeconfig');
  const stacks = [...baseStacks, ...(newcomer ? [newcomer.stack] : [])];
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

export async function variantKubectl(manifests: string): Promise<void> {
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
  res.clusterMiB = clusterMiB(c);
  await clusterDown(c);
}
