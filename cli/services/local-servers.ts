// The loopback servers of the embedded default (toolchain/services.sh), as the platform's "existing"
// services: where their files and ports are, starting and stopping them, and writing what the sync
// decided into their files. Layout under .desa/services/ (kept in step with services.sh):
//   ports.env            SMTP_PORT SUBMISSION_PORT IMAP_PORT DNS_PORT DNS_API_PORT HTTP_PORT S3_PORT DOMAIN
//   secrets/             dns-api-key, s3-root-access, s3-root-secret (0600)
//   mail/users           Dovecot passwd-file (hashes only);  mail/mail/<domain>/<local>/  Maildirs
//   postfix/etc/         vmailbox valias senders (texthash maps)
//   web/sites/<name>/    index.html served for <name>.<domain>
//   s3/data, s3/iam      versitygw's buckets and accounts
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ROOT } from '../paths.ts';
import type { Mailbox, Site } from './desired.ts';
import { parseUsers, renderPostfixMaps, renderUsers } from './mail.ts';

const SERVICES_SH = join(ROOT, 'toolchain', 'services.sh');

export const SERVERS = ['dovecot', 'postfix', 'pdns', 'nginx', 'versitygw', 'opendkim'] as const;
export type ServerName = (typeof SERVERS)[number];

export interface ServicePorts {
  smtp: number;
  submission: number;
  imap: number;
  dns: number;
  dnsApi: number;
  http: number;
  s3: number;
  /** The OpenDKIM milter (absent from a ports.env written before it existed: SMTP + 7). */
  dkim: number;
}

export interface LocalServices {
  dir: string;
  domain: string;
  ports: ServicePorts;
}

export interface ServerStatus {
  name: ServerName;
  state: 'running' | 'stopped' | 'unavailable';
  pid: number | null;
  reason: string | null;
}

/** ports.env as services.sh writes it; null when absent or incomplete. */
export function parseServicesEnv(text: string): { ports: ServicePorts; domain: string } | null {
  const v: Record<string, string> = {};
  for (const m of text.matchAll(/^\s*([A-Z][A-Z0-9_]*)=["']?([^"'\n]*)["']?\s*$/gm)) v[m[1]!] = m[2]!;
  const n = (k: string) => (v[k] && /^\d+$/.test(v[k]) ? Number(v[k]) : NaN);
  const ports = { smtp: n('SMTP_PORT'), submission: n('SUBMISSION_PORT'), imap: n('IMAP_PORT'), dns: n('DNS_PORT'), dnsApi: n('DNS_API_PORT'), http: n('HTTP_PORT'), s3: n('S3_PORT') };
  if (Object.values(ports).some(Number.isNaN) || !v.DOMAIN) return null;
  return { ports: { ...ports, dkim: Number.isNaN(n('DKIM_PORT')) ? ports.smtp + 7 : n('DKIM_PORT') }, domain: v.DOMAIN };
}

/** `services.sh status` lines: "dovecot running (pid 12)", "nginx stopped", "postfix unavailable: postfix needs root". */
export function parseServerStatus(text: string): ServerStatus[] {
  const seen = new Map<string, ServerStatus>();
  for (const line of text.split('\n')) {
    const m = /^(\S+) (running|stopped|unavailable)(?: \(pid (\d+)\))?(?::\s*(.*))?$/.exec(line.trim());
    if (m && (SERVERS as readonly string[]).includes(m[1]!)) {
      seen.set(m[1]!, { name: m[1] as ServerName, state: m[2] as ServerStatus['state'], pid: m[3] ? Number(m[3]) : null, reason: m[4]?.trim() || null });
    }
  }
  return SERVERS.map((name) => seen.get(name) ?? { name, state: 'stopped', pid: null, reason: null });
}

export function readLocalServices(dir: string): LocalServices | null {
  const file = join(dir, 'ports.env');
  if (!existsSync(file)) return null;
  const parsed = parseServicesEnv(readFileSync(file, 'utf8'));
  return parsed && { dir, ...parsed };
}

export function readServiceSecret(dir: string, name: 'dns-api-key' | 's3-root-access' | 's3-root-secret'): string {
  return readFileSync(join(dir, 'secrets', name), 'utf8').trim();
}

const run = (cmd: string, dir: string, env: NodeJS.ProcessEnv) =>
  execa('sh', [SERVICES_SH, cmd, dir], { env, stdin: 'ignore', reject: false, timeout: 120_000 });

export async function servicesStatus(dir: string, env: NodeJS.ProcessEnv): Promise<ServerStatus[]> {
  if (!existsSync(dir)) return SERVERS.map((name) => ({ name, state: 'stopped', pid: null, reason: 'not started yet' }));
  return parseServerStatus((await run('status', dir, env)).stdout);
}

/** Starts the servers that are not running; progress on stderr. Fails when an available one does not come up. */
export async function servicesStart(dir: string, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; message: string }> {
  const r = await execa('sh', [SERVICES_SH, 'start', dir], { env, stdin: 'ignore', stdout: 2, stderr: 'pipe', reject: false, timeout: 180_000 });
  if (r.stderr) process.stderr.write(`${r.stderr}\n`);
  return { ok: r.exitCode === 0, message: r.stderr.trim().split('\n').at(-1) ?? '' };
}

export async function servicesStop(dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (existsSync(dir)) await run('stop', dir, env);
}

/** Writes a file only when its content differs, through a temp file and rename. True when it changed. */
export function writeIfChanged(file: string, content: string, mode = 0o600): boolean {
  if (existsSync(file) && readFileSync(file, 'utf8') === content) return false;
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.tmp`);
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
  return true;
}

/** Dovecot's accounts and Postfix's maps; Postfix re-reads its maps when one changed. */
export async function writeMail(s: LocalServices, mailboxes: readonly Mailbox[], env: NodeJS.ProcessEnv, o: { postfix: boolean }): Promise<{ changed: boolean }> {
  const usersFile = join(s.dir, 'mail', 'users');
  const current = existsSync(usersFile) ? parseUsers(readFileSync(usersFile, 'utf8')) : new Map<string, string>();
  // Read by Dovecot's auth process (root): hashes only, still not for other users.
  const users = writeIfChanged(usersFile, renderUsers(mailboxes, current), 0o600);
  const maps = renderPostfixMaps(mailboxes);
  let mapsChanged = false;
  for (const [name, text] of Object.entries(maps)) mapsChanged = writeIfChanged(join(s.dir, 'postfix', 'etc', name), text, 0o644) || mapsChanged;
  // Postfix has read the maps when the marker holds their hash: a reload that failed (or was skipped
  // while Postfix was down) is retried by the next sync, even though the files no longer change.
  const marker = join(s.dir, 'postfix', 'etc', '.desa-reloaded');
  const hash = createHash('sha256').update(JSON.stringify(maps)).digest('hex');
  const reloaded = existsSync(marker) && readFileSync(marker, 'utf8') === hash;
  if (o.postfix && !reloaded) {
    const r = await run('reload-mail', s.dir, env);
    if (r.exitCode !== 0) throw new Error(`Postfix did not reload its maps: ${(r.stderr || r.stdout).trim().split('\n').at(-1)}`);
    writeFileSync(marker, hash);
  }
  return { changed: users || mapsChanged };
}

/** Hands OpenDKIM the signing key (on stdin, never a command line or a file of ours); a no-op when it is in place. */
export async function writeDkimKey(s: LocalServices, dkim: { selector: string; privateKey: string }, env: NodeJS.ProcessEnv): Promise<void> {
  const r = await execa('sh', [SERVICES_SH, 'dkim-key', s.dir, dkim.selector], { env, input: dkim.privateKey, reject: false, timeout: 30_000 });
  if (r.exitCode !== 0) throw new Error(`OpenDKIM did not take the signing key: ${(r.stderr || r.stdout).trim().split('\n').at(-1)}`);
}

/** Removes a desa's Maildirs (<slug>.<role>@<domain>), for destroy --delete-data. Slugs and roles have no dots. */
export function deleteMaildirs(s: LocalServices, domain: string, slug: string): number {
  const root = join(s.dir, 'mail', 'mail', domain);
  if (!existsSync(root) || !/^[a-z0-9-]+$/.test(slug)) return 0;
  let n = 0;
  for (const name of readdirSync(root)) {
    if (name.startsWith(`${slug}.`) && !name.slice(slug.length + 1).includes('.')) {
      rmSync(join(root, name), { recursive: true, force: true });
      n++;
    }
  }
  return n;
}

/** One directory per site under web/sites; directories of sites no longer wanted are removed. */
export function writeSites(s: LocalServices, sites: readonly Site[]): { changed: number; removed: number } {
  const root = join(s.dir, 'web', 'sites');
  mkdirSync(root, { recursive: true, mode: 0o755 });
  let changed = 0;
  let removed = 0;
  const wanted = new Set(sites.map((x) => x.name));
  for (const site of sites) {
    mkdirSync(join(root, site.name), { recursive: true, mode: 0o755 });
    if (writeIfChanged(join(root, site.name, 'index.html'), site.html, 0o644)) changed++;
  }
  for (const name of readdirSync(root)) {
    if (!wanted.has(name)) {
      rmSync(join(root, name), { recursive: true, force: true });
      removed++;
    }
  }
  return { changed, removed };
}
