// What up, plan and destroy share between their flags and the engine: the presenter (ink on a TTY,
// lines otherwise), Ctrl-C, the summary on stdout and the exit code.
import { Option } from 'commander';
import { AbortError, ReportedError } from '../../core/errors.ts';
import type { EngineOptions, RunSummary, Verb } from '../engine/provision.ts';
import type { Operation, StackProgress } from '../engine/progress.ts';
import type { Presenter } from '../ui/stack-lines.ts';
import { emit, emitJson, interactive, log } from '../ui/output.ts';
import { resolve } from 'node:path';

export const concurrencyOption = () =>
  new Option('--concurrency <n>', 'desa stacks run at the same time (1–32)').default('4').argParser((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 32) throw new AbortError(`--concurrency must be a whole number from 1 to 32, not "${v}".`);
    return String(n);
  });

export interface StackFlags {
  file: string;
  only?: string[];
  concurrency: string;
  kubeconfig?: string;
  context?: string;
  json?: boolean;
}

const OPERATION: Record<Verb, Operation> = { up: 'up', plan: 'preview', destroy: 'destroy' };

export async function runStacks<O extends EngineOptions>(verb: Verb, flags: StackFlags, extra: Omit<O, keyof EngineOptions>, service: (o: O) => Promise<RunSummary>): Promise<void> {
  const [{ createPresenter }, { interruptible }, { summaryLines }, { exitCodeOf, failureMessage }] = await Promise.all([
    import('../ui/stack-lines.ts'),
    import('../interrupt.ts'),
    import('../ui/run-summary.ts'),
    import('../engine/provision.ts'),
  ]);
  // Made on the first progress, so that what comes before (the local cluster starting) prints plainly.
  // Updates are chained on the one promise, so they reach it in order.
  let presenter: Promise<Presenter> | undefined;
  const show = (p: StackProgress) => {
    presenter ??= createPresenter({ operation: OPERATION[verb], stacks: [], interactive: interactive() && !flags.json });
    void presenter.then((pr) => pr.update(p));
  };
  let summary: RunSummary;
  try {
    summary = await interruptible(`desa ${verb}`, (signal) =>
      service({
        file: resolve(flags.file),
        only: flags.only ?? [],
        concurrency: Number(flags.concurrency),
        ...(flags.kubeconfig ? { kubeconfig: resolve(flags.kubeconfig) } : {}),
        ...(flags.context ? { context: flags.context } : {}),
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
    emit(summaryLines(summary).join('\n'));
    if (summary.localKubeconfig) {
      log.info(`The local cluster keeps running: export KUBECONFIG=${summary.localKubeconfig} for kubectl; \`desa cluster down\` stops it.`);
    }
  }
  const code = exitCodeOf(summary);
  if (code !== 0) {
    const { message, nextStep } = failureMessage(summary);
    throw new ReportedError(code, message, nextStep);
  }
}
