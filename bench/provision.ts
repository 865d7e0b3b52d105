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
//                              [--inventory FILE | --kabupaten CODE] [--no-onboarding]
// Results: a markdown table on stdout, the JSON in bench/out/provision-<date>.json, progress on stderr.
// The pieces are in bench/provision/: setup (options, engine, work folder), processes, clusters, results,
// variants and report.
import { cpus, loadavg } from 'node:os';
import { rmSync } from 'node:fs';
import { clusterDown, countKinds, started } from './provision/clusters.ts';
import { alive, live, say, state, treePids } from './provision/processes.ts';
import { report } from './provision/report.ts';
import { problems } from './provision/results.ts';
import { base, CONCURRENCY, inventorySource, logs, newcomer, opts, runs, units, variants, work } from './provision/setup.ts';
import { type Rendered, render, variantDesa, variantKubectl, variantPlain } from './provision/variants.ts';

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
    if (state.aborted) return;
    state.aborted = true;
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
  `${units.length} desa of ${inventorySource} (platform + ${base.length} provisioned${newcomer ? `, then ${newcomer.slug} onboarded` : ''}), concurrency ${CONCURRENCY}, ` +
    `variants ${variants.join(', ')}; ${cpus().length} CPUs, load ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}; work in ${work}`,
);
if (loadAtStart[0]! > 1) say(`the machine is not idle (load ${loadAtStart[0]!.toFixed(2)}): the figures will be noisy`);
let failure: unknown;
let expected: number | null = null;
let renderedInfo: Rendered | null = null;
try {
  const { dir, rendered, labelled } = await render();
  renderedInfo = rendered;
  countKinds(rendered.kinds.map((k) => k.toLowerCase()));
  expected = labelled;
  if (runs('desa')) await variantDesa();
  if (runs('plain')) await variantPlain();
  if (runs('kubectl')) await variantKubectl(dir);
} catch (e) {
  failure = e;
} finally {
  if (!state.aborted) await cleanup();
}
if (state.aborted) await new Promise(() => {}); // the signal handler exits


report({ startedAt, loadAtStart, failure, expected, renderedInfo });
if (failure || problems.length) {
  say(`kept ${work} (logs in ${logs})`);
  process.exit(4);
}
if (opts.keep) say(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
