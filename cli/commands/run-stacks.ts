// What up, plan, destroy and rotate share between their flags and the engine: where the stacks go (the
// cluster named by --kubeconfig/--context, or the local one with its servers), the presenter (ink on a
// TTY, lines otherwise), Ctrl-C, the summary on stdout and the exit code.
import { Option } from 'commander';
import { AbortError, ReportedError } from '../../core/errors.ts';
import type { LocalExtras } from '../cluster/target.ts';
import type { EngineOptions } from '../engine/context.ts';
import type { RunSummary, Verb } from '../engine/run-loop.ts';
import type { Target } from '../engine/target.ts';
import type { Operation, StackProgress } from '../engine/progress.ts';
import type { Presenter } from '../ui/stack-lines.ts';
import { emit, emitJson, interactive, log } from '../ui/output.ts';
import { resolve } from 'node:path';
import { parseShard, type Shard, shardLine, type ShardSummary } from '../engine/shard.ts';

export const concurrencyOption = () =>
  new Option('--concurrency <n>', 'desa stacks run at the same time (1–32)').default('4').argParser((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 32) throw new AbortError(`--concurrency must be a whole number from 1 to 32, not "${v}".`);
    return String(n);
  });

export const lockWaitOption = () =>
  new Option('--lock-wait <seconds>', 'wait this long for a stack another run holds, then give up naming it (0: refuse at once)').default('300').argParser((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 86_400) throw new AbortError(`--lock-wait must be a whole number of seconds from 0 to 86400, not "${v}".`);
    return String(n);
  });

export const shardOption = () =>
  new Option('--shard <K/N>', 'run only shard K of N: this runner\'s share of the desa (the same N in every runner; shard 1 also runs the platform)').argParser((v) => parseShard(v));

export interface StackFlags {
  file: string;
  only?: string[];
  concurrency: string;
  lockWait?: string;
  shard?: Shard;
  kubeconfig?: string;
  context?: string;
  json?: boolean;
}

const OPERATION: Record<Verb, Operation> = { up: 'up', plan: 'preview', destroy: 'destroy', drift: 'refresh' };

/** The summary of a run, with what the local target adds (nothing with --kubeconfig/--context). */
export type Summary = RunSummary & Partial<LocalExtras> & { shard?: ShardSummary };

/** Where the stacks go: the cluster the flags name, else the local cluster with its servers. */
async function targetFor(file: string, flags: StackFlags): Promise<Target<LocalExtras>> {
  if (flags.kubeconfig || flags.context) {
    const { kubeconfigTarget } = await import('../engine/target.ts');
    return kubeconfigTarget<LocalExtras>(file, { kubeconfig: flags.kubeconfig && resolve(flags.kubeconfig), context: flags.context });
  }
  const { localTarget } = await import('../cluster/target.ts');
  return localTarget(file, process.env);
}

export async function runStacks<O extends EngineOptions<LocalExtras>>(verb: Verb, flags: StackFlags, extra: Omit<O, keyof EngineOptions>, service: (o: O) => Promise<Summary>): Promise<void> {
  const [{ createPresenter }, { interruptible }, { summaryLines }, { exitCodeOf, failureMessage }] = await Promise.all([
    import('../ui/presenter.ts'),
    import('../interrupt.ts'),
    import('../ui/run-summary.ts'),
    import('../engine/outcome.ts'),
  ]);
  const file = resolve(flags.file);
  const target = await targetFor(file, flags);
  // Made on the first progress, so that what comes before (the local cluster starting) prints plainly.
  // Updates are chained on the one promise, so they reach it in order.
  let presenter: Promise<Presenter> | undefined;
  const show = (p: StackProgress) => {
    presenter ??= createPresenter({ operation: OPERATION[verb], stacks: [], interactive: interactive() && !flags.json });
    void presenter.then((pr) => pr.update(p));
  };
  let summary: Summary;
  try {
    summary = await interruptible(`desa ${verb}`, (signal) =>
      service({
        file,
        only: flags.only ?? [],
        concurrency: Number(flags.concurrency),
        ...(flags.lockWait !== undefined ? { lockWait: Number(flags.lockWait) } : {}),
        ...(flags.shard ? { shard: flags.shard } : {}),
        target,
        env: process.env,
        signal,
        listener: show,
        ...extra,
      } as O),
    );
  } finally {
    if (presenter) await (await presenter).finish();
  }
  if (flags.json) emitJson(summary);
  else {
    emit([...summaryLines(summary), ...(summary.shard ? [shardLine(summary.shard)] : [])].join('\n'));
    if (summary.localKubeconfig) {
      log.info(`The local cluster keeps running: export KUBECONFIG=${summary.localKubeconfig} for kubectl; \`desa cluster down\` stops it.`);
    }
  }
  const code = exitCodeOf(summary);
  if (code !== 0) {
    const { message, nextStep } = failureMessage(summary, target.explain);
    throw new ReportedError(code, message, nextStep);
  }
}
