// The host the servers run on and what a spec may read (ServerContext), made once per command; whether
// each server can run here (its requirements) and, when it is running, its pid. No server is started or
// stopped here: that is supervisor.ts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MAILBOX_QUOTA } from '../../core/contract.ts';
import { cacheDir, ROOT } from '../paths.ts';
import { builtBinary, isExecutable, type Pins, readPins } from '../toolchain/pins.ts';
import type { ServicePorts } from './ports.ts';
import { readServiceSecret, type ServersState } from './state.ts';
import type { Requirement, ServerContext, ServerSpec } from './spec.ts';
import { findCommand, type Identity, identity, lookupUser, ours, readPid } from './system.ts';

/** Where progress goes: the command's own lines (cli/ui/output.ts `log`), or nowhere. */
export interface Logger {
  step(message: string): void;
  warn(message: string): void;
}

export const quiet: Logger = { step: () => {}, warn: () => {} };

export interface Host {
  /** .desa/services, absolute. */
  dir: string;
  env: NodeJS.ProcessEnv;
  identity: Identity;
  cache: string;
  pins: Pins;
  servers: readonly ServerSpec[];
}

export function host(dir: string, env: NodeJS.ProcessEnv, servers: readonly ServerSpec[]): Host {
  return { dir, env, identity: identity(), cache: cacheDir(env), pins: readPins(ROOT), servers };
}

export interface ServerStatus {
  name: string;
  state: 'running' | 'stopped' | 'unavailable';
  pid: number | null;
  reason: string | null;
}

function packagesOf(spec: ServerSpec): string {
  return 'debian' in spec.install ? spec.install.debian.join(' ') : '';
}

function failed(h: Host, spec: ServerSpec, r: Requirement, memo: Map<string, string | null>): string | null {
  if ('command' in r) return findCommand(r.command, h.env) ? null : `${r.package} not installed (apt-get install ${packagesOf(spec) || r.package})`;
  if ('file' in r) return existsSync(r.file) ? null : `${r.package} not installed (apt-get install ${packagesOf(spec) || r.package})`;
  if ('built' in r) {
    if (!('build' in spec.install)) return null;
    const path = builtBinary(h.cache, h.pins, spec.install.build);
    return isExecutable(path) ? null : `${spec.name} not built (${path} missing; run: toolchain/build.sh services)`;
  }
  if ('root' in r) return h.identity.root ? null : r.why;
  if ('users' in r) {
    if (!h.identity.root) return null;
    const missing = r.users.filter((u) => !lookupUser(u));
    if (missing.length === 0) return null;
    const names = r.users.length === 1 ? `the user ${r.users[0]} is` : `the users ${r.users.slice(0, -1).join(', ')} and ${r.users.at(-1)} are`;
    return `${names} missing (apt-get install --reinstall ${r.package})`;
  }
  const other = h.servers.find((s) => s.name === r.server);
  const why = other ? unavailable(h, other, memo) : `${r.server} is not a local server`;
  return why ? `${r.why}: ${why}` : null;
}

/** Why a server cannot run here (the first requirement that fails), or null when it can. */
export function unavailable(h: Host, spec: ServerSpec, memo = new Map<string, string | null>()): string | null {
  if (memo.has(spec.name)) return memo.get(spec.name)!;
  memo.set(spec.name, null);
  let why: string | null = null;
  for (const r of spec.requires) if ((why = failed(h, spec, r, memo))) break;
  memo.set(spec.name, why);
  return why;
}

/** The pid of a running server of this folder: desa's record, the server's own pid file, or services.sh's. */
export function pidOf(h: Host, spec: ServerSpec, state: ServersState | null): number | null {
  const candidates = [state?.pids[spec.name] ?? null, spec.pidFile ? readPid(join(h.dir, spec.pidFile)) : null, readPid(join(h.dir, 'run', `${spec.name}.pid`))];
  return candidates.find((pid): pid is number => pid !== null && ours(pid, h.dir)) ?? null;
}

/** The statuses from what was observed: pure, in table order. */
export function statusesOf(servers: readonly ServerSpec[], observed: { unavailable: Record<string, string>; pids: Record<string, number> }): ServerStatus[] {
  return servers.map((s): ServerStatus => {
    const pid = observed.pids[s.name];
    if (pid !== undefined) return { name: s.name, state: 'running', pid, reason: null };
    const reason = observed.unavailable[s.name];
    return reason !== undefined ? { name: s.name, state: 'unavailable', pid: null, reason } : { name: s.name, state: 'stopped', pid: null, reason: null };
  });
}

/** Each server's status in this folder. */
export function statuses(h: Host, state: ServersState | null): ServerStatus[] {
  const observed = { unavailable: {} as Record<string, string>, pids: {} as Record<string, number> };
  const memo = new Map<string, string | null>();
  for (const spec of h.servers) {
    const pid = pidOf(h, spec, state);
    if (pid !== null) observed.pids[spec.name] = pid;
    const why = unavailable(h, spec, memo);
    if (why) observed.unavailable[spec.name] = why;
  }
  return statusesOf(h.servers, observed);
}

/** The inventory's values the configs name: its domain, and the Kabupaten's name. */
export interface SiteValues {
  domain: string;
  kabupaten: string;
}

/** What a spec's functions read, for this folder, its ports and the inventory's domain and name. */
export function serverContext(h: Host, ports: ServicePorts, site: SiteValues): ServerContext {
  const secrets = new Map<string, string>();
  return {
    dir: h.dir,
    ports,
    domain: site.domain,
    kabupaten: site.kabupaten,
    root: h.identity.root,
    self: h.identity.self,
    nobodyGroup: h.identity.nobodyGroup,
    secret: (name) => {
      if (!secrets.has(name)) secrets.set(name, readServiceSecret(h.dir, name));
      return secrets.get(name)!;
    },
    built: (piece, binary) => builtBinary(h.cache, h.pins, piece, binary),
    values: { defaultMailboxQuota: DEFAULT_MAILBOX_QUOTA },
  };
}
