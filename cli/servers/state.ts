// The local servers' state, in one JSON file written and read here only: .desa/services/state.json holds
// the ports (fixed at first start), the pid of each server desa started, and for each set of files the
// sync hands a server, the hash the server last re-read (so a reload that failed is retried). Nothing
// else is remembered: the domain and every other value come from the inventory on each start.
// The secrets the servers need (an API key, the S3 root key) are files of their own, 0600.
import { realServersDir } from './place.ts';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFolder, writeIfChanged } from './files.ts';
import { type PortName, portsFrom, type ServicePorts } from './ports.ts';

export interface ServersState {
  version: 1;
  base: number;
  ports: ServicePorts;
  /** The pid desa started (or read from a daemon's pid file), by server. */
  pids: Record<string, number>;
  /** By server and file set: the hash of the files the server has re-read. */
  applied: Record<string, string>;
}

/** Where a folder's local servers listen; the folder holds their files. */
export interface LocalServices {
  dir: string;
  ports: ServicePorts;
}

const FILE = 'state.json';

/** ports.env as toolchain/services.sh wrote it before state.json; null when absent or incomplete. */
export function parseServicesEnv(text: string): { ports: ServicePorts; domain: string } | null {
  const v: Record<string, string> = {};
  for (const m of text.matchAll(/^\s*([A-Z][A-Z0-9_]*)=["']?([^"'\n]*)["']?\s*$/gm)) v[m[1]!] = m[2]!;
  const n = (k: string) => (v[k] && /^\d+$/.test(v[k]) ? Number(v[k]) : NaN);
  const ports = { smtp: n('SMTP_PORT'), submission: n('SUBMISSION_PORT'), imap: n('IMAP_PORT'), dns: n('DNS_PORT'), dnsApi: n('DNS_API_PORT'), http: n('HTTP_PORT'), s3: n('S3_PORT') };
  if (Object.values(ports).some(Number.isNaN) || !v.DOMAIN) return null;
  // Ports services.sh never had (DKIM before it, MariaDB) take base + offset.
  return { ports: portsFrom(ports.smtp, { ...ports, ...(Number.isNaN(n('DKIM_PORT')) ? {} : { dkim: n('DKIM_PORT') }) }), domain: v.DOMAIN };
}

/** A state file's content; ports added to the plan since it was written take base + offset. Null when unreadable. */
export function parseState(text: string): ServersState | null {
  try {
    const j = JSON.parse(text) as Partial<ServersState>;
    if (j.version !== 1 || typeof j.base !== 'number' || typeof j.ports !== 'object' || j.ports === null) return null;
    return { version: 1, base: j.base, ports: portsFrom(j.base, j.ports), pids: { ...j.pids }, applied: { ...j.applied } };
  } catch {
    return null;
  }
}

/** The state of `dir`: state.json, else the ports.env of a folder services.sh started; null when never started. */
export function readState(dir: string): ServersState | null {
  const file = join(dir, FILE);
  if (existsSync(file)) return parseState(readFileSync(file, 'utf8'));
  const legacy = join(dir, 'ports.env');
  if (!existsSync(legacy)) return null;
  const parsed = parseServicesEnv(readFileSync(legacy, 'utf8'));
  return parsed && { version: 1, base: parsed.ports.smtp, ports: parsed.ports, pids: {}, applied: {} };
}

export function writeState(dir: string, state: ServersState): void {
  writeIfChanged(join(dir, FILE), `${JSON.stringify(state, null, 2)}\n`, 0o644);
}

/** The state of `dir`, made with ports from `base` at first start. */
export function stateOrNew(dir: string, base: number): ServersState {
  return readState(dir) ?? { version: 1, base, ports: portsFrom(base), pids: {}, applied: {} };
}

/** Changes the state file: read, change, write back. */
export function updateState(dir: string, change: (s: ServersState) => void): void {
  const s = readState(dir);
  if (!s) return;
  change(s);
  writeState(dir, s);
}

/** The servers' folder (its real path: place.ts) and ports, once they were started; null before. */
export function readLocalServices(dir: string): LocalServices | null {
  const s = readState(dir);
  return s && { dir: realServersDir(dir), ports: s.ports };
}

export type { PortName, ServicePorts };

/** A secret the servers need, read from its 0600 file. */
export function readServiceSecret(dir: string, name: string): string {
  return readFileSync(join(dir, 'secrets', name), 'utf8').trim();
}

/** Makes a secret once: random hex of `bytes` bytes in secrets/<name>, 0600 in a 0700 folder. */
export function ensureSecret(dir: string, name: string, bytes: number): void {
  const folder = join(dir, 'secrets');
  makeFolder(folder, 0o700);
  if (!existsSync(join(folder, name))) writeIfChanged(join(folder, name), `${randomBytes(bytes).toString('hex')}\n`, 0o600);
}
