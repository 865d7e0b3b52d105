// The benchmark's processes: spawned detached (own process group, so Ctrl-C reaches only the benchmark,
// which then stops each group itself), output to a log file, optional memory sampling of the whole tree.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = resolve(import.meta.dirname, '../..');
export const SAMPLE_MS = 200;
const PAGE = 4096;

/** Set once Ctrl-C (or SIGTERM) arrives: no new step starts. */
export const state = { aborted: false };

export const say = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
export const live = new Set<ChildProcess>();

export interface Ran {
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
export function treePids(root: number, exclude: Set<number> = new Set(), { children, rss }: ProcTable = procTable()): number[] {
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

export function alive(pid: number): boolean {
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

export function run(cmd: string, args: string[], o: RunOptions): Promise<Ran> {
  if (state.aborted) return Promise.reject(new Error('interrupted'));
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

export const tail = (file: string, lines = 15) => {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
};
