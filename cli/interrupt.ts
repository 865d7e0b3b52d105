// Ctrl-C for long operations. cli/main.ts owns the signal handlers; an operation that can stop cleanly
// registers here for its duration and gets an AbortSignal. The first Ctrl-C aborts it (no new work starts,
// running work is asked to stop); a second one ends the process at once.
import { EXIT } from '../core/errors.ts';
import { log } from './ui/output.ts';

type Handler = (signal: NodeJS.Signals) => boolean;
let current: Handler | null = null;

export function interruptHandler(): Handler | null {
  return current;
}

/** Runs `work` with a signal aborted by the first Ctrl-C (or SIGTERM); `what` names the work in messages. */
export async function interruptible<T>(what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let count = 0;
  current = (signal) => {
    count += 1;
    if (count === 1) {
      log.info(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping ${what}. Running stacks finish their current step and release their locks; press Ctrl-C again to quit at once.`);
      controller.abort();
      return true;
    }
    log.info('Quitting at once; the next run recovers what was left half done.');
    process.exit(EXIT.interrupted);
  };
  try {
    return await work(controller.signal);
  } finally {
    current = null;
  }
}
