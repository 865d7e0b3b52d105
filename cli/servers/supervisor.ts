// The supervisor of the local servers: for each spec of the table it renders the config from typed
// values, runs the one-time step, starts the server detached (its own session, output to
// log/<name>.log) or makes a running one re-read a config that changed; then it waits until every
// started server passes its probes. It stops them in order (a server before those it uses). Progress
// goes to the logger it is given; its state to state.json (state.ts).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError } from '../../core/errors.ts';
import { run } from '../process.ts';
import { makeFolder, tail, writeIfChanged } from './files.ts';
import { host, type Host, type Logger, pidOf, quiet, serverContext, type ServerStatus, statuses, unavailable } from './host.ts';
import { parsePortBase } from './ports.ts';
import { allPass, describeProbe } from './probes.ts';
import type { ServerContext, ServerSpec } from './spec.ts';
import { ensureSecret, readState, type ServersState, stateOrNew, writeState } from './state.ts';
import { alive, findCommand, identity, listening, lookupOwner, lookupUser, ours, readPid, withSbin } from './system.ts';
import { placeServersFolder, realServersDir } from './place.ts';
import { SERVERS } from './table.ts';
import { render, templatePath } from './render.ts';
import { ensureServingCertificate, TLS_FILES } from './tls-files.ts';

export interface SupervisorOptions {
  /** .desa/services. */
  dir: string;
  env: NodeJS.ProcessEnv;
  log?: Logger;
  /** The servers to run; default: the table. */
  servers?: readonly ServerSpec[];
}

export interface StartOptions extends SupervisorOptions {
  /** The inventory's domain: the mail domain and the zone, rendered into the configs on every start. */
  domain: string;
  /** The Kabupaten's name (desa.yaml kabupaten.name), rendered where people read it (webmail's title). */
  kabupaten: string;
  /** The first port (first start only; then the state file keeps the ports). Default DESA_SERVICES_PORT_BASE or 23800. */
  portBase?: number;
  /** Seconds each server has to pass its probes (default DESA_SERVICES_TIMEOUT or 30). */
  timeoutSeconds?: number;
}

export interface StartReport {
  ok: boolean;
  servers: ServerStatus[];
  started: string[];
  reloaded: string[];
  failed: { name: string; message: string }[];
}

/** The host, with the servers' folder at its real path (placed elsewhere when the checkout is private: place.ts). */
export const hostOf = (o: SupervisorOptions): Host => host(realServersDir(o.dir), o.env, o.servers ?? SERVERS);

export function serversStatus(o: SupervisorOptions): ServerStatus[] {
  const h = hostOf(o);
  if (!existsSync(h.dir)) return h.servers.map((s) => ({ name: s.name, state: 'stopped', pid: null, reason: 'not started yet' }));
  return statuses(h, readState(h.dir));
}

/** The folder itself: open to the servers' unprivileged processes (place.ts), and short enough for sockets. */
function prepareFolder(h: Host): void {
  makeFolder(h.dir, 0o755);
  // Unix socket paths are limited to 107 bytes; Dovecot's longest is DIR/mail/run/ + 25 characters.
  if (h.dir.length > 70) throw new Error(`the folder's path is too long for unix sockets (${h.dir.length} > 70 characters): ${h.dir}`);
  makeFolder(join(h.dir, 'log'), 0o755);
}

/** Folders, seeds and config of one server; true when a config file changed. */
function prepare(h: Host, spec: ServerSpec, ctx: ServerContext): boolean {
  const owner = (o: string | undefined) => (o && h.identity.root ? lookupOwner(o) : null);
  for (const f of spec.folders(ctx)) makeFolder(join(h.dir, f.path), f.mode ?? 0o755, owner(f.owner));
  for (const s of spec.seeds ?? []) if (!existsSync(join(h.dir, s.path))) writeIfChanged(join(h.dir, s.path), '', s.mode ?? 0o644);
  let changed = false;
  for (const c of spec.config(ctx)) {
    // Postfix waits until main.cf is more than a second old: a new file gets its template's time.
    const mtime = statSync(templatePath(c.template)).mtime;
    changed = writeIfChanged(join(h.dir, c.path), render(c.template, c.values), c.mode ?? 0o644, { mtime }) || changed;
  }
  return changed;
}

/** The system user a server runs as (root only), with its own group, no home and no shell; made once. */
async function ensureSystemUser(u: NonNullable<ServerSpec['systemUser']>, env: NodeJS.ProcessEnv): Promise<void> {
  if (lookupUser(u.name)) return;
  const args = ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', '--user-group', '--comment', u.comment, u.name];
  await run(...commandOf(['useradd', ...args], withSbin(env)), { env: withSbin(env), what: `useradd ${u.name}` });
}

async function init(h: Host, spec: ServerSpec, ctx: ServerContext): Promise<void> {
  if (!spec.init) return;
  const target = join(h.dir, spec.init.creates);
  if (existsSync(target) && statSync(target).size > 0) return;
  const tmp = `${target}.tmp`;
  // A step killed half-way may have left a file or a folder (a database's data folder).
  rmSync(tmp, { force: true, recursive: true });
  await spec.init.run(ctx, tmp);
  renameSync(tmp, target);
}

function commandOf(argv: readonly string[], env: NodeJS.ProcessEnv): [string, string[]] {
  const [command, ...args] = argv;
  return [findCommand(command!, env) ?? command!, args];
}

/** Starts a prepared server that is not running; its pid. */
async function launch(h: Host, spec: ServerSpec, ctx: ServerContext): Promise<number> {
  const l = spec.launch(ctx);
  const env = { ...withSbin(h.env), ...l.env };
  const logFile = join(h.dir, 'log', `${spec.name}.log`);
  const cwd = l.cwd ? join(h.dir, l.cwd) : h.dir;
  if (l.check) await run(...commandOf(l.check, env), { env, what: `${l.check.join(' ')} rejected the config` });
  if (l.daemonizes) {
    // A start script that checks its instance first (Postfix's) can fail once on a busy machine while
    // the instance's files settle; a second try after a pause tells a real failure from that.
    try {
      await run(...commandOf(l.argv, env), { env, cwd, what: `${spec.name} start` });
    } catch {
      await new Promise((r) => setTimeout(r, 1500));
      await run(...commandOf(l.argv, env), { env, cwd, what: `${spec.name} start` });
    }
    const pid = spec.pidFile ? readPid(join(h.dir, spec.pidFile)) : null;
    if (pid === null) throw new Error(`${spec.name} started but wrote no pid file (${spec.pidFile})`);
    return pid;
  }
  if (spec.pidFile) rmSync(join(h.dir, spec.pidFile), { force: true });
  const out = openSync(logFile, 'a');
  try {
    const [command, args] = commandOf(l.argv, env);
    const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out], env, cwd });
    child.on('error', () => {});
    child.unref();
    if (child.pid === undefined) throw new Error(`${spec.name} could not be started (${command})`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

function logTails(h: Host, spec: ServerSpec): string {
  return [join('log', `${spec.name}.log`), ...(spec.logs ?? [])]
    .map((f) => [f, tail(join(h.dir, f))] as const)
    .filter(([, text]) => text)
    .map(([f, text]) => `--- last lines of ${join(h.dir, f)}\n${text}`)
    .join('\n');
}

/** SIGTERM, up to 15 s, then SIGKILL. */
async function terminate(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 150 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until each started server passes its probes; the ones that do not are stopped again. */
async function waitReady(h: Host, started: Map<ServerSpec, number>, ctx: ServerContext, seconds: number): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  const pending = new Map(started);
  const deadline = performance.now() + seconds * 1000;
  while (pending.size > 0) {
    for (const [spec, pid] of pending) {
      if (await allPass(spec.ready(ctx), { dir: h.dir, pid })) pending.delete(spec);
      else if (!ours(pid, h.dir)) failures.set(spec.name, `exited during start-up (see ${join(h.dir, 'log', `${spec.name}.log`)})`);
      else if (performance.now() > deadline) failures.set(spec.name, `not ready after ${seconds}s: ${spec.ready(ctx).map(describeProbe).join(', ')} (pid ${pid})`);
      if (failures.has(spec.name)) pending.delete(spec);
    }
    if (pending.size > 0) await sleep(100);
  }
  for (const name of failures.keys()) {
    const spec = h.servers.find((s) => s.name === name)!;
    failures.set(name, `${failures.get(name)}\n${logTails(h, spec)}`.trim());
    const pid = started.get(spec)!;
    if (ours(pid, h.dir)) await terminate(pid);
  }
  return failures;
}

/** Makes a running server re-read its config; 'restart' when only a restart does. */
export async function reloadServer(h: Host, spec: ServerSpec, ctx: ServerContext, pid: number): Promise<'reloaded' | 'restart'> {
  if ('signal' in spec.reload) process.kill(pid, spec.reload.signal);
  else if ('command' in spec.reload) {
    const env = withSbin(h.env);
    await run(...commandOf(spec.reload.command(ctx), env), { env, what: `${spec.name} reload` });
  } else return 'restart';
  return 'reloaded';
}

type Outcome = { pid: number; how: 'running' | 'reloaded' | 'launched' } | { failed: string };

/** One server brought up to date: its files, its one-time step, then a reload, a restart or a start. */
async function bringUp(h: Host, spec: ServerSpec, ctx: ServerContext, state: ServersState): Promise<Outcome> {
  try {
    if (spec.systemUser && h.identity.root) await ensureSystemUser(spec.systemUser, h.env);
    const changed = prepare(h, spec, ctx);
    await init(h, spec, ctx);
    let pid = pidOf(h, spec, state);
    if (pid !== null && changed && (await reloadServer(h, spec, ctx, pid)) === 'restart') {
      await terminate(pid);
      pid = null;
    }
    if (pid !== null) return { pid, how: changed ? 'reloaded' : 'running' };
    const busy = spec.ports.map((p) => state.ports[p]).filter((port) => listening(port));
    if (busy.length > 0) return { failed: `port(s) ${busy.join(', ')} on 127.0.0.1 used by another process` };
    return { pid: await launch(h, spec, ctx), how: 'launched' };
  } catch (e) {
    return { failed: e instanceof CommandError && e.detail ? `${e.message}\n${e.detail}` : (e as Error).message };
  }
}

/**
 * Starts every server that can run here and is not running, and makes running ones re-read a config
 * that changed (a new domain in desa.yaml). None needs another to be up to start (Postfix reaches
 * Dovecot's sockets per connection), so they are brought up together, then waited for together. A
 * server that is not installed is reported, not fatal.
 */
export async function startServers(o: StartOptions): Promise<StartReport> {
  const log = o.log ?? quiet;
  const placed = placeServersFolder(o.dir, { root: identity().root, ...(o.env.DESA_SERVICES_HOME ? { home: o.env.DESA_SERVICES_HOME } : {}) });
  if (placed.relocated && !existsSync(join(placed.dir, 'state.json'))) {
    log.step(`the servers' files are in ${placed.dir} (${o.dir} links there): their users cannot enter the folder of this checkout`);
  }
  const h = hostOf(o);
  prepareFolder(h);
  const state = stateOrNew(h.dir, o.portBase ?? parsePortBase(h.env.DESA_SERVICES_PORT_BASE));
  writeState(h.dir, state);
  for (const spec of h.servers) for (const s of spec.secrets ?? []) ensureSecret(h.dir, s.name, s.bytes);
  const ctx = serverContext(h, state.ports, { domain: o.domain, kabupaten: o.kabupaten });
  // The front doors start with TLS on: before the local CA has issued anything, with a stand-in.
  if (await ensureServingCertificate(h.dir, o.domain)) log.step(`a self-signed stand-in certificate for *.${o.domain} until the local CA issues one (${join(h.dir, TLS_FILES.cert)})`);
  const memo = new Map<string, string | null>();
  const available = h.servers.filter((spec) => !unavailable(h, spec, memo));
  const outcomes = await Promise.all(available.map((spec) => bringUp(h, spec, ctx, state)));
  const report: StartReport = { ok: true, servers: [], started: [], reloaded: [], failed: [] };
  const launched = new Map<ServerSpec, number>();
  available.forEach((spec, i) => {
    const r = outcomes[i]!;
    if ('failed' in r) report.failed.push({ name: spec.name, message: r.failed });
    else if (r.how === 'launched') launched.set(spec, r.pid);
    else {
      state.pids[spec.name] = r.pid;
      if (r.how === 'reloaded') report.reloaded.push(spec.name);
    }
  });
  const timeout = o.timeoutSeconds ?? Number(h.env.DESA_SERVICES_TIMEOUT ?? 30);
  const failures = await waitReady(h, launched, ctx, timeout);
  for (const [spec, pid] of launched) {
    if (failures.has(spec.name)) {
      report.failed.push({ name: spec.name, message: failures.get(spec.name)! });
      delete state.pids[spec.name];
    } else {
      report.started.push(spec.name);
      state.pids[spec.name] = pid;
      log.step(`${spec.name} started (pid ${pid}, log ${join(h.dir, 'log', `${spec.name}.log`)})`);
    }
  }
  for (const name of report.reloaded) log.step(`${name} re-read its changed config`);
  for (const f of report.failed) log.warn(`${f.name} did not come up: ${f.message}`);
  writeState(h.dir, { ...(readState(h.dir) ?? state), pids: state.pids });
  report.servers = statuses(h, readState(h.dir));
  report.ok = report.failed.length === 0;
  return report;
}

/** Makes the named running servers re-read their files (a renewed certificate); the names of those that did. */
export async function reloadServers(o: SupervisorOptions & { domain: string }, names: readonly string[]): Promise<string[]> {
  const h = hostOf(o);
  const state = readState(h.dir);
  if (!state) return [];
  const ctx = serverContext(h, state.ports, { domain: o.domain, kabupaten: '' /* a reload renders no config */ });
  const done: string[] = [];
  for (const spec of h.servers.filter((s) => names.includes(s.name))) {
    const pid = pidOf(h, spec, state);
    if (pid !== null && (await reloadServer(h, spec, ctx, pid)) === 'reloaded') done.push(spec.name);
  }
  return done;
}

/** The order to stop in: a server stops before those it uses (Postfix before Dovecot and OpenDKIM). */
export function stopOrder(servers: readonly ServerSpec[]): ServerSpec[][] {
  const rounds: ServerSpec[][] = [];
  let left = [...servers];
  while (left.length > 0) {
    const used = new Set(left.flatMap((s) => s.uses ?? []));
    const round = left.filter((s) => !used.has(s.name));
    const next = round.length > 0 ? round : left;
    rounds.push(next.reverse());
    left = left.filter((s) => !next.includes(s));
  }
  return rounds;
}

/** Stops every running server of the folder (data kept); the names of those it stopped. */
export async function stopServers(o: SupervisorOptions): Promise<string[]> {
  const log = o.log ?? quiet;
  const h = hostOf(o);
  if (!existsSync(h.dir)) return [];
  const state = readState(h.dir);
  const stopped: string[] = [];
  for (const round of stopOrder(h.servers)) {
    await Promise.all(
      round.map(async (spec) => {
        const pid = pidOf(h, spec, state);
        rmSync(join(h.dir, 'run', `${spec.name}.pid`), { force: true });
        if (pid === null) return;
        await terminate(pid);
        stopped.push(spec.name);
        log.step(`${spec.name} stopped`);
      }),
    );
  }
  if (state) writeState(h.dir, { ...state, pids: {} });
  return stopped;
}

export type { Logger, ServerStatus };
