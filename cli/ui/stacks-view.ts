// How engine runs (up, plan, destroy) show progress on a TTY (ink, no JSX): each finished stack becomes
// one permanent line above (<Static>); below, a header with the overall counts and one line per stack
// at work. Updates only mark the store dirty; a 100 ms tick renders, so 187 updates a second cost at
// most ten frames. No keys are read: stdin is never put in raw mode.
import { Box, Static, Text, render, useStdout, type StaticProps } from 'ink';
import React, { useEffect, useLayoutEffect, useState } from 'react';
import type { Operation, StackPhase, StackProgress } from '../engine/progress.ts';
import { paint } from './output.ts';
import { describeOutcome, elapsedSeconds, isFinal, type Presenter } from './stack-lines.ts';

const h = React.createElement;

export const TICK_MS = 100;
const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
const COMMAND: Record<Operation, string> = { up: 'desa up', preview: 'desa plan', destroy: 'desa destroy', refresh: 'desa drift' };
const GLYPH: Partial<Record<StackPhase, [string, string]>> = { succeeded: ['✔', 'green'], failed: ['✖', 'red'], skipped: ['–', 'yellow'], cancelled: ['–', 'yellow'] };

interface Finished {
  key: number;
  stack: string;
  phase: StackPhase;
  text: string;
}

/** The latest snapshot of every stack, and the finished ones in the order they finished. */
export interface StacksStore {
  readonly names: string[];
  readonly latest: Map<string, Readonly<StackProgress>>;
  readonly finished: Finished[];
  readonly startedAt: number;
  endedAt: number | null;
  clock: () => number;
  update(p: Readonly<StackProgress>): void;
  /** Stops the clock and asks for a render; resolves once that render is committed (or after a second). */
  finish(): Promise<void>;
  /** Called by finish(); returns the unsubscribe. */
  onFlush(fn: () => void): () => void;
  /** Called by the view after each commit. */
  rendered(): void;
}

export function createStacksStore(stacks: string[], clock: () => number = Date.now): StacksStore {
  const flush = new Set<() => void>();
  let finalRender: (() => void) | undefined;
  const store: StacksStore = {
    names: [...stacks],
    latest: new Map(),
    finished: [],
    startedAt: clock(),
    endedAt: null,
    clock,
    update(p) {
      if (store.endedAt !== null) return;
      const before = store.latest.get(p.stack);
      if (!before && !store.names.includes(p.stack)) store.names.push(p.stack);
      store.latest.set(p.stack, { ...p });
      if (isFinal(p.phase) && !isFinal(before?.phase)) {
        store.finished.push({ key: store.finished.length, stack: p.stack, phase: p.phase, text: describeOutcome(p, clock()) });
      }
    },
    finish() {
      if (store.endedAt === null) store.endedAt = clock();
      // React schedules the render of an update from outside it; wait for the commit, not a turn.
      const committed = new Promise<void>((resolve) => (finalRender = resolve));
      for (const fn of flush) fn();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)));
      return Promise.race([committed, late]).finally(() => clearTimeout(timer));
    },
    rendered() {
      if (store.endedAt !== null) finalRender?.();
    },
    onFlush(fn) {
      flush.add(fn);
      return () => flush.delete(fn);
    },
  };
  return store;
}

/** "00:41", "1:02:03". */
function clockText(ms: number): string {
  const s = Math.floor(ms / 1000);
  const mmss = `${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mmss}` : mmss;
}

/** "desa up · 37/188 done · 2 failed · 4 running · 00:41 elapsed". */
export function headerText(store: StacksStore, operation: Operation, now: number): string {
  const phases = [...store.latest.values()].map((p) => p.phase);
  const count = (...of: StackPhase[]) => phases.filter((p) => of.includes(p)).length;
  const parts = [COMMAND[operation], `${count('succeeded', 'failed', 'skipped', 'cancelled')}/${store.names.length} done`];
  for (const phase of ['failed', 'skipped', 'cancelled'] as const) if (count(phase)) parts.push(`${count(phase)} ${phase}`);
  parts.push(`${count('preparing', 'running')} running`, `${clockText((store.endedAt ?? now) - store.startedAt)} elapsed`);
  return parts.join(' · ');
}

function resources(p: Readonly<StackProgress>): string {
  if (p.phase === 'preparing') return 'preparing';
  return p.resourcesExpected !== null && p.resourcesDone <= p.resourcesExpected ? `${p.resourcesDone}/${p.resourcesExpected}` : `${p.resourcesDone}`;
}

export interface StacksViewProps {
  store: StacksStore;
  operation: Operation;
  /** Style text; false under NO_COLOR. */
  color?: boolean;
  tickMs?: number;
}

export function StacksView({ store, operation, color = true, tickMs = TICK_MS }: StacksViewProps): React.ReactElement {
  const [, setTick] = useState(0);
  const rows = (useStdout().stdout as NodeJS.WriteStream).rows || 24;
  useEffect(() => {
    const rerender = () => setTick((n) => n + 1);
    const timer = setInterval(rerender, tickMs);
    const off = store.onFlush(rerender);
    if (store.endedAt !== null) rerender();
    return () => {
      clearInterval(timer);
      off();
    };
  }, [store, tickMs]);
  useLayoutEffect(() => store.rendered());

  const st = (style: { color?: string; dimColor?: boolean; bold?: boolean }) => (color ? style : {});
  const now = store.clock();
  const width = Math.min(24, Math.max(0, ...store.names.map((n) => n.length)));
  const active = [...store.latest.values()].filter((p) => p.phase === 'preparing' || p.phase === 'running').sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
  // The live region must fit the terminal, or ink cannot redraw it in place.
  const room = Math.max(1, rows - 3);
  const shown = active.length > room ? active.slice(0, room - 1) : active;
  const spin = SPINNER[Math.floor(now / TICK_MS) % SPINNER.length];

  return h(
    Box,
    { flexDirection: 'column' },
    h(Static as (props: StaticProps<Finished>) => React.ReactElement, {
      items: [...store.finished],
      children: (f: Finished) => {
        const [glyph, glyphColor] = GLYPH[f.phase] ?? ['·', 'gray'];
        return h(Text, { key: f.key }, h(Text, st({ color: glyphColor }), glyph), ` ${f.stack.padEnd(width)}  `, h(Text, st({ dimColor: f.phase !== 'failed' }), f.text));
      },
    }),
    h(Text, st({ bold: true }), headerText(store, operation, now)),
    ...shown.map((p) =>
      h(
        Text,
        { key: p.stack, wrap: 'truncate-end' },
        h(Text, st({ color: 'cyan' }), spin),
        ` ${p.stack.padEnd(width)}  ${resources(p).padStart(7)}  ${`${Math.floor(elapsedSeconds(p, now) ?? 0)}s`.padStart(4)}  `,
        h(Text, st({ dimColor: true }), p.message ?? ''),
      ),
    ),
    active.length > shown.length ? h(Text, st({ dimColor: true }), `  … ${active.length - shown.length} more running`) : null,
  );
}

export interface StacksViewOptions {
  operation: Operation;
  /** Every stack of the run, in order: the platform first. */
  stacks: string[];
  /** stderr by default, so stdout stays pipeable. */
  stdout?: NodeJS.WriteStream;
}

export function renderStacksView(opts: StacksViewOptions): Presenter {
  const stream = opts.stdout ?? process.stderr;
  const store = createStacksStore(opts.stacks);
  // paint() applies NO_COLOR, FORCE_COLOR and the TTY check; ink's own colour detection does not read NO_COLOR.
  const color = paint('red', 'x', stream) !== 'x';
  const app = render(h(StacksView, { store, operation: opts.operation, color }), { stdout: stream, exitOnCtrlC: false, patchConsole: false });
  let finished: Promise<void> | undefined;
  return {
    update: (p) => store.update(p),
    finish: () =>
      (finished ??= (async () => {
        await store.finish();
        await app.waitUntilRenderFlush();
        app.unmount();
        await app.waitUntilExit();
      })()),
  };
}
