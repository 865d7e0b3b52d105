// The benchmark's report: a markdown table on stdout, the whole result as JSON in bench/out/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { PART_OF_SELECTOR as PART_OF } from '../../core/contract.ts';
import { kubernetesPluginVersion } from '../../cli/toolchain/doctor.ts';
import { SAMPLE_MS, say } from './processes.ts';
import { problems, type Result, results } from './results.ts';
import { allUnits, base, CONCURRENCY, COUNT, inventorySource, newcomer, opts, OUT, pins, PORT_BASE, ROOT, SMALL, TERRAGRUNT, units, variants } from './setup.ts';
import type { Rendered } from './variants.ts';

export interface RunFacts {
  startedAt: Date;
  loadAtStart: number[];
  failure: unknown;
  /** Objects of the base stacks that carry the common label, as rendered. */
  expected: number | null;
  renderedInfo: Rendered | null;
}

export function report({ startedAt, loadAtStart, failure, expected, renderedInfo }: RunFacts): void {
  const byId = (id: string) => results.find((r) => r.id === id);
  const ref = byId('desa-up');
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? `${(a / b).toFixed(2)}x` : '–');
  const newObjects = newcomer ? (renderedInfo?.stacks[newcomer.stack] ?? 0) : 0;
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
    `Provisioning benchmark, ${startedAt.toISOString().slice(0, 10)}: ${units.length} desa of ${allUnits.length} (${inventorySource}), concurrency ${CONCURRENCY}, ` +
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
    ...(newcomer
      ? [
          `- Onboarding: \`desa up --only ${newcomer.slug}\` (the platform stack, unchanged, then the new desa) into a cluster where ${base.length} and`,
          `  where ${SMALL} desa were provisioned; the two times should be close.`,
        ]
      : []),
    `- objects: objects labelled ${PART_OF} in the cluster afterwards / rendered for the same stacks.`,
  );
  // The cluster's own processes, apart from the figures above (issue 15: desa's memory goal excludes them).
  for (const r of results) {
    if (!r.clusterMiB) continue;
    const parts = Object.entries(r.clusterMiB).map(([n, m]) => `${n} ${m.rss.toFixed(0)} (peak ${m.hwm.toFixed(0)})`);
    const total = Object.values(r.clusterMiB).reduce((n, m) => n + m.rss, 0);
    out.push(`- cluster processes after "${r.what}", MiB: ${parts.join(', ')}; ${total.toFixed(0)} resident in all.`);
  }
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
  const label = opts.kabupaten ? `-${opts.kabupaten.replace(/[^0-9A-Za-z]+/g, '')}` : '';
  const jsonFile = join(OUT, `provision-${startedAt.toISOString().slice(0, 10)}${label}-${units.length}.json`);
  writeFileSync(
    jsonFile,
    `${JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), loadAtStart, loadAtEnd: loadavg() },
        versions: { node: process.version, pulumi: pins.PULUMI_VERSION, kubernetesPlugin: `v${kubernetesPluginVersion(ROOT)}`, kubernetes: pins.KUBERNETES_VERSION },
        options: { count: COUNT, concurrency: CONCURRENCY, variants, small: SMALL, portBase: PORT_BASE, onboarding: newcomer !== null },
        inventory: inventorySource,
        desa: { provisioned: base.map((u) => u.slug), onboarded: newcomer?.slug ?? null },
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
}
