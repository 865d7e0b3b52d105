// `desa check`, the pure part: what to probe for each desa (from its stack's outputs and desa.yaml), and
// the probes' results turned into one readiness row per desa with a reason for every failure. Plain data
// in, plain data out: no sockets, no clock (the time is passed in), so every rule is unit-tested.
import type { Unit } from '../../core/inventory/model.ts';
import type { StackState } from '../engine/state.ts';

/** The checks of a row, in the order they are shown. */
export const CHECKS = ['provisioned', 'dns', 'tls', 'site', 'mail', 'storage', 'link'] as const;
export type CheckName = (typeof CHECKS)[number];

/** ok: it works; fail: it does not, and detail says why; n/a: nothing to check (and detail says why). */
export type CheckState = 'ok' | 'fail' | 'n/a';
export interface CheckResult {
  state: CheckState;
  /** ok: what was found; fail: the reason; n/a: why there is nothing to check. Never a secret. */
  detail: string;
}

/** What a probe found: a value, or an error as one line (never a secret). */
export type Probe<T> = { ok: true; value: T } | { ok: false; error: string; code?: string };

/** What to probe for one desa, from its stack's outputs (what was provisioned) and desa.yaml. */
export interface Targets {
  slug: string;
  name: string;
  /** null when provisioned; else why not. */
  notProvisioned: string | null;
  /** The subdomain that is served, or null when nothing is served there. */
  host: string | null;
  siteTemplate: string | null;
  mailboxes: string[];
  bucket: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** What `desa up` provisioned for `unit`, from its stack's state (outputs of stacks/desa/index.ts). */
export function targetsFor(unit: Unit, state: StackState | undefined): Targets {
  const base = { slug: unit.slug, name: unit.name };
  if (!state?.provisioned) {
    const why = !state ? 'it has no stack' : state.dataKept ? 'destroyed, its data kept' : 'its stack holds no resources';
    return { ...base, notProvisioned: `not provisioned (${why}): run \`desa up --only ${unit.slug}\``, host: null, siteTemplate: null, mailboxes: [], bucket: null };
  }
  const o = state.outputs;
  return {
    ...base,
    notProvisioned: null,
    host: str(o.url) ? (str(o.host) ?? unit.services.subdomain.host) : null,
    siteTemplate: str(o.siteTemplate),
    mailboxes: Array.isArray(o.mailboxes) ? o.mailboxes.filter((m): m is string => typeof m === 'string') : [],
    bucket: str(o.bucket),
  };
}

/** What the certificate probe reads from a TLS handshake. */
export interface Certificate {
  /** The chain verifies against the trust store. */
  authorized: boolean;
  /** Why it does not, as Node names it (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, …). */
  authorizationError: string | null;
  /** The certificate names the host (subjectAltName). */
  namesHost: boolean;
  validFrom: string;
  validTo: string;
}

export interface MailboxProbe {
  address: string;
  /** null: no credential for it where the servers read them (the cluster's Secret is missing). */
  login: Probe<null> | null;
}

/** Everything the probes found for one desa; a probe not run is absent. */
export interface Found {
  dns?: Probe<string[]>;
  tls?: Probe<Certificate>;
  site?: Probe<{ status: number; body: string }>;
  mail?: MailboxProbe[];
  /** null: no credential for the bucket where the servers read them. */
  storage?: Probe<null> | null;
}

/** Where the probes go, for the reasons ("the DNS server 127.0.0.1:23803"); tls null when nothing serves TLS. */
export interface Where {
  dns: string;
  web: string;
  tls: string | null;
  imap: string;
  s3: string;
  /** Why there is no TLS to probe, when tls is null. */
  noTls: string;
  /** How the sites are reached (default http). */
  scheme?: 'http' | 'https';
  /** A hint per service when its server is known not to run ("pdns is stopped"). */
  down: Partial<Record<'dns' | 'site' | 'mail' | 'storage', string>>;
}

export interface Row {
  slug: string;
  code: string;
  name: string;
  kecamatan: string;
  ready: boolean;
  checks: Record<CheckName, CheckResult>;
}

const ok = (detail: string): CheckResult => ({ state: 'ok', detail });
const fail = (detail: string): CheckResult => ({ state: 'fail', detail });
const na = (detail: string): CheckResult => ({ state: 'n/a', detail });

/** A network error code as a reason a person understands. */
export function networkReason(p: { error: string; code?: string }, what: string, hint?: string): string {
  const tail = hint ? ` (${hint})` : '';
  switch (p.code) {
    case 'ECONNREFUSED':
      return `${what} refused the connection${tail}`;
    case 'ETIMEOUT':
    case 'ETIMEDOUT':
      return `no answer from ${what} in time${tail}`;
    case 'ECONNRESET':
      return `${what} closed the connection${tail}`;
    default:
      return `${what}: ${p.error}${tail}`;
  }
}

export function dnsResult(host: string, p: Probe<string[]>, where: Where): CheckResult {
  if (p.ok) return p.value.length ? ok(`${host} → ${p.value.join(', ')}`) : fail(`${host} has no address in the zone`);
  const server = `the DNS server ${where.dns}`;
  switch (p.code) {
    case 'ENOTFOUND':
    case 'ENODATA':
      return fail(`${host} is not in the zone (${p.code === 'ENOTFOUND' ? 'NXDOMAIN' : 'no A record'}) on ${server}`);
    case 'EREFUSED':
      return fail(`${server} refused the query: it is not authoritative for ${host}`);
    case 'ESERVFAIL':
      return fail(`${server} failed to answer for ${host} (SERVFAIL)`);
    case 'ECONNREFUSED':
      // A UDP query to a closed port: the kernel's "port unreachable".
      return fail(`${server} does not answer: nothing listens there${where.down.dns ? ` (${where.down.dns})` : ''}`);
    default:
      return fail(networkReason(p, server, where.down.dns));
  }
}

const DAY = 86_400_000;

export function tlsResult(host: string, p: Probe<Certificate> | undefined, where: Where, now: Date): CheckResult {
  if (!where.tls || !p) return na(where.noTls);
  if (!p.ok) return fail(networkReason(p, `TLS on ${where.tls} for ${host}`));
  const c = p.value;
  const until = new Date(c.validTo);
  const days = Math.floor((until.getTime() - now.getTime()) / DAY);
  const date = Number.isNaN(until.getTime()) ? c.validTo : until.toISOString().slice(0, 10);
  if (until.getTime() <= now.getTime()) return fail(`the certificate for ${host} expired on ${date}`);
  if (new Date(c.validFrom).getTime() > now.getTime()) return fail(`the certificate for ${host} is not valid before ${c.validFrom}`);
  if (!c.namesHost) return fail(`the certificate served for ${host} does not name it`);
  if (!c.authorized) return fail(`the certificate for ${host} is not trusted (${c.authorizationError ?? 'unknown reason'})`);
  return ok(`valid, ${days} day${days === 1 ? '' : 's'} left (until ${date})`);
}

/** The name as it may appear in a page: as written, or with HTML's escapes. */
function mentions(body: string, name: string): boolean {
  const escaped = name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  return body.includes(name) || body.includes(escaped);
}

export function siteResult(t: Targets, p: Probe<{ status: number; body: string }>, where: Where): CheckResult {
  const host = t.host!;
  if (!p.ok) return fail(networkReason(p, `the web server ${where.web}`, where.down.site));
  const { status, body } = p.value;
  const url = `${where.scheme ?? 'http'}://${host}/`;
  if (status !== 200) return fail(`${url} answers HTTP ${status}${status === 404 ? ' (no site for this host)' : ''}`);
  if (!mentions(body, t.name)) return fail(`${url} answers, but its page does not name ${t.name}`);
  return ok(`${url} names ${t.name}`);
}

export function mailResult(boxes: readonly MailboxProbe[], where: Where): CheckResult {
  const failures: string[] = [];
  for (const b of boxes) {
    if (!b.login) failures.push(`${b.address}: no credential in the cluster (its mailbox Secret is missing)`);
    else if (!b.login.ok) {
      const l = b.login;
      const why = l.code === 'AUTH' ? `the login is refused (${l.error})` : l.code === 'CREDENTIALS' ? l.error : networkReason(l, `the IMAP server ${where.imap}`, where.down.mail);
      failures.push(`${b.address}: ${why}`);
    }
  }
  const n = boxes.length;
  if (failures.length === 0) return ok(`${n} mailbox${n === 1 ? '' : 'es'} log${n === 1 ? 's' : ''} in`);
  // The same server failure for every mailbox is said once.
  const reasons = new Set(failures.map((f) => f.slice(f.indexOf(': ') + 2)));
  if (failures.length === n && n > 1 && reasons.size === 1) return fail(`none of ${n} mailboxes logs in: ${[...reasons][0]}`);
  return fail(`${failures.length} of ${n} mailbox${n === 1 ? '' : 'es'} cannot log in: ${failures.join('; ')}`);
}

export function storageResult(bucket: string, p: Probe<null> | null, where: Where): CheckResult {
  if (p === null) return fail(`${bucket}: no credential in the cluster (its bucket Secret is missing)`);
  if (p.ok) return ok(`${bucket} lists with its key`);
  if (p.code === 'S3') return fail(`${bucket}: the storage refuses its key (${p.error})`);
  if (p.code === 'CREDENTIALS') return fail(`${bucket}: ${p.error}`);
  return fail(`${bucket}: ${networkReason(p, `the S3 server ${where.s3}`, where.down.storage)}`);
}

/** The link, from desa.yaml's connectivity record (not probed: no live data reaches desa yet). */
export function linkResult(unit: Unit): CheckResult {
  const c = unit.connectivity;
  const parts = [c.technology, c.bandwidthMbps !== null ? `${c.bandwidthMbps} Mbps` : null, c.provider].filter(Boolean);
  const since = c.connectedOn ? ` since ${c.connectedOn}` : '';
  switch (c.status) {
    case 'connected':
      return ok(`connected${since}${parts.length ? ` (${parts.join(', ')})` : ''}, per desa.yaml`);
    case 'in-progress':
      return fail('not connected yet: the connection is in progress, per desa.yaml');
    case 'not-connected':
      return fail('not connected, per desa.yaml');
    case 'unknown':
      return na('no connectivity data in desa.yaml');
  }
}

/** One desa's row: every check's result, ready when none failed. */
export function rowFor(unit: Unit, t: Targets, found: Found, where: Where, now: Date): Row {
  const checks = {} as Record<CheckName, CheckResult>;
  checks.link = linkResult(unit);
  if (t.notProvisioned) {
    checks.provisioned = fail(t.notProvisioned);
    for (const c of ['dns', 'tls', 'site', 'mail', 'storage'] as const) checks[c] = na('not provisioned');
  } else {
    checks.provisioned = ok(t.siteTemplate ? `provisioned (site: ${t.siteTemplate})` : 'provisioned');
    const noHost = t.siteTemplate === 'external' ? 'no subdomain: the desa runs its own app, its address not known yet' : 'no subdomain is served';
    checks.dns = t.host ? dnsResult(t.host, found.dns ?? { ok: false, error: 'not probed' }, where) : na(noHost);
    checks.tls = t.host ? tlsResult(t.host, found.tls, where, now) : na(noHost);
    checks.site = t.host ? siteResult(t, found.site ?? { ok: false, error: 'not probed' }, where) : na(noHost);
    checks.mail = t.mailboxes.length ? mailResult(found.mail ?? t.mailboxes.map((address) => ({ address, login: null })), where) : na('no mailboxes (email is off)');
    checks.storage = t.bucket ? storageResult(t.bucket, found.storage === undefined ? null : found.storage, where) : na('no bucket (storage is off)');
  }
  const ordered = Object.fromEntries(CHECKS.map((c) => [c, checks[c]])) as Record<CheckName, CheckResult>;
  return { slug: unit.slug, code: unit.code, name: unit.name, kecamatan: unit.kecamatan, ready: CHECKS.every((c) => ordered[c].state !== 'fail'), checks: ordered };
}

/** What `desa check --json` prints and .desa/check.json keeps (with the rows of earlier --only runs). */
export interface CheckDocument {
  ok: boolean;
  file: string;
  /** ISO 8601, when the probes started. */
  checkedAt: string;
  durationMs: number;
  /** Where the probes went (the local servers' addresses). */
  endpoints: { dns: string; web: string; tls: string | null; imap: string; s3: string };
  counts: { units: number; ready: number; notReady: number };
  units: Row[];
}

export function checkDocument(file: string, rows: Row[], where: Where, checkedAt: Date, durationMs: number): CheckDocument {
  const ready = rows.filter((r) => r.ready).length;
  return {
    ok: ready === rows.length,
    file,
    checkedAt: checkedAt.toISOString(),
    durationMs: Math.round(durationMs),
    endpoints: { dns: where.dns, web: where.web, tls: where.tls, imap: where.imap, s3: where.s3 },
    counts: { units: rows.length, ready, notReady: rows.length - ready },
    units: rows,
  };
}

const MARK: Record<CheckState, string> = { ok: 'ok', fail: 'FAIL', 'n/a': '-' };

/** The table: a header, one line per desa, and under a desa that is not ready, each failure's reason. */
export function checkLines(doc: CheckDocument): string[] {
  const head = ['SLUG', 'READY', ...CHECKS.map((c) => c.toUpperCase())];
  const rows = doc.units.map((r) => [r.slug, r.ready ? 'yes' : 'NO', ...CHECKS.map((c) => MARK[r.checks[c].state])]);
  const widths = head.map((_, i) => Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(head)];
  doc.units.forEach((r, i) => {
    out.push(line(rows[i]!));
    for (const c of CHECKS) if (r.checks[c].state === 'fail') out.push(`    ${c}: ${r.checks[c].detail}`);
  });
  // What applies to every row is said once, below the table.
  const notes = new Set(doc.units.filter((r) => r.checks.tls.state === 'n/a' && r.checks.dns.state !== 'n/a').map((r) => r.checks.tls.detail));
  for (const n of notes) out.push(`tls: ${n}`);
  return out;
}

export function summaryLine(doc: CheckDocument): string {
  const c = doc.counts;
  const secs = (doc.durationMs / 1000).toFixed(1);
  return c.notReady === 0 ? `${c.units} desa checked in ${secs} s: all ready.` : `${c.units} desa checked in ${secs} s: ${c.ready} ready, ${c.notReady} not ready.`;
}
