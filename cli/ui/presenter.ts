// Which presenter a run gets: the ink view (stacks-view.ts) for a person at a terminal, else one line per
// event (stack-lines.ts). Its own module, so that neither of those imports the other's choice.
import type { Operation } from '../engine/progress.ts';
import { createLinePresenter, type Presenter } from './stack-lines.ts';

export interface PresenterOptions {
  operation: Operation;
  /** Every stack of the run, in order: the platform first. */
  stacks: string[];
  /** A person at a terminal (see ui/output.ts `interactive()`): the ink view; otherwise lines. */
  interactive: boolean;
  /** Where lines go; stderr by default. */
  write?: (line: string) => void;
}

/** The ink view on a TTY, else prefixed lines. Async so that CI runs never load ink and React. */
export async function createPresenter(opts: PresenterOptions): Promise<Presenter> {
  if (!opts.interactive) return createLinePresenter(opts.write ?? ((line) => process.stderr.write(`${line}\n`)));
  const { renderStacksView } = await import('./stacks-view.ts');
  return renderStacksView({ operation: opts.operation, stacks: opts.stacks });
}
