// The wildcard certificate of the local servers, ordered from the local CA (Pebble, cli/servers/pebble.ts)
// with npm's acme-client by DNS-01, the way production orders it from Let's Encrypt: one order for
// *.<domain> and <domain>, both challenge values in one `_acme-challenge` RRset written into the local
// PowerDNS through its HTTP API, removed afterwards. The decisions are tls-plan.ts's; this file does the
// I/O. The ACME client trusts Pebble's API certificate explicitly (its own agent, for Pebble's URLs
// only); nothing turns TLS verification off. Private keys are 0600 files, never printed or logged.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import * as acme from 'acme-client';
import { writeIfChanged } from '../servers/files.ts';
import type { Logger } from '../servers/host.ts';
import type { ServicePorts } from '../servers/ports.ts';
import { certificateNames, TLS_FILES } from '../servers/tls-files.ts';
import { deleteRrsets, type PowerDns, replaceRrsets } from './dns.ts';
import { ariCertId, authorityKeyId, certificateDecision, challengeRecords, dnsNames, replacesHeld, type HeldCertificate, type RenewalWindow } from './tls-plan.ts';

export interface TlsOptions {
  /** The servers' folder (its real path). */
  dir: string;
  domain: string;
  ports: ServicePorts;
  /** The root Pebble's API certificate chains to (its module's test root, beside the binary). */
  apiCaFile: string;
  /** PowerDNS's HTTP API. */
  dns: PowerDns;
  log: Logger;
  now?: () => Date;
}

export interface TlsReport {
  /** Whether this run ordered a certificate (and the servers must re-read it). */
  ordered: boolean;
  /** Why it did or did not. */
  reason: string;
  names: string[];
  serial: string;
  notAfter: string;
  /** Seconds from the new order to the issued certificate, when one was ordered. */
  issueSeconds?: number;
  /** The local CA's root, for people to trust. */
  caFile: string;
}

/** The account that owns the challenge RRset in PowerDNS (not desa's: the sync leaves it alone). */
const CHALLENGE_ACCOUNT = 'desa-acme';

/** A GET over HTTPS trusting only `agent`'s CA: the body as text. */
function get(url: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // RFC 8555 §6.1: every request carries a User-Agent (Pebble refuses one without: HTTP 400).
    const req = request(url, { agent, timeout: 10_000, headers: { 'User-Agent': 'desa (local CA client)' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** The PEM blocks of a chain, leaf first. */
const splitPem = (text: string) => text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];

/** Whether every certificate of the chain is signed by the next, and the last by the root. */
export function chainsTo(chainPem: string, rootPem: string): boolean {
  try {
    const chain = splitPem(chainPem).map((p) => new X509Certificate(p));
    const root = new X509Certificate(rootPem);
    if (chain.length === 0) return false;
    for (let i = 0; i + 1 < chain.length; i++) if (!chain[i]!.verify(chain[i + 1]!.publicKey)) return false;
    const last = chain.at(-1)!;
    return last.fingerprint256 === root.fingerprint256 || last.verify(root.publicKey);
  } catch {
    return false;
  }
}

/** What the certificate file holds (its leaf); null when there is none, it cannot be read, or it is the self-signed stand-in. */
export function readHeld(certFile: string, rootPem: string | null): HeldCertificate | null {
  if (!existsSync(certFile)) return null;
  const text = readFileSync(certFile, 'utf8');
  const leafPem = splitPem(text)[0];
  if (!leafPem) return null;
  try {
    const leaf = new X509Certificate(leafPem);
    // The stand-in the servers start with (tls-files.ts) is no certificate of any CA.
    if (leaf.checkIssued(leaf) && leaf.verify(leaf.publicKey)) return null;
    return {
      names: dnsNames(leaf.subjectAltName),
      notBefore: new Date(leaf.validFrom),
      notAfter: new Date(leaf.validTo),
      serial: leaf.serialNumber,
      aki: authorityKeyId(leaf.raw),
      fromCurrentCa: rootPem !== null && chainsTo(text, rootPem),
    };
  } catch {
    return null;
  }
}

/** The CA's suggested renewal window for a certificate (ARI), or null when it offers none. */
async function renewalWindow(directory: { renewalInfo?: string }, held: HeldCertificate, agent: Agent): Promise<RenewalWindow | null> {
  if (!directory.renewalInfo || !held.aki) return null;
  try {
    const r = await get(`${directory.renewalInfo.replace(/\/$/, '')}/${ariCertId(held.aki, held.serial)}`, agent);
    if (r.status !== 200) return null;
    const w = (JSON.parse(r.body) as { suggestedWindow?: { start?: string; end?: string } }).suggestedWindow;
    if (!w?.start || !w.end) return null;
    return { start: new Date(w.start), end: new Date(w.end) };
  } catch {
    return null;
  }
}

/** The agents of the local CAs by origin: acme-client's requests to one of them go through its agent. */
/** The ACME profile every order asks for: Let's Encrypt's 90-day "classic"; the local CA offers the same. */
export const ACME_PROFILE = 'classic';

const agents = new Map<string, Agent>();
let intercepting = false;

/** The ACME client for the local CA: its own agent, trusting Pebble's API root, for Pebble's origin only. */
function localClient(directoryUrl: string, accountKey: string, agent: Agent): acme.Client {
  agents.set(new URL(directoryUrl).origin, agent);
  if (!intercepting) {
    intercepting = true;
    acme.axios.interceptors.request.use((config) => {
      const own = config.url ? agents.get(new URL(config.url).origin) : undefined;
      if (own) config.httpsAgent = own;
      return config;
    });
  }
  // Polls from a quarter second (acme-client's default starts at 5 s): the local CA validates in well under that.
  return new acme.Client({ directoryUrl, accountKey, backoffMin: 250, backoffMax: 5000, backoffAttempts: 30 });
}

async function order(o: TlsOptions, directoryUrl: string, agent: Agent, names: string[], replaces: string | null): Promise<{ cert: string; key: string; seconds: number }> {
  const accountFile = join(o.dir, TLS_FILES.account);
  if (!existsSync(accountFile)) writeIfChanged(accountFile, (await acme.crypto.createPrivateEcdsaKey()).toString(), 0o600);
  const client = localClient(directoryUrl, readFileSync(accountFile, 'utf8'), agent);
  // The account of this key, if the CA knows it (a POST-as-GET: an "update" with nothing in it is refused),
  // else a new one (Pebble forgets its accounts when it restarts).
  try {
    await client.createAccount({ onlyReturnExisting: true });
  } catch {
    await client.createAccount({ termsOfServiceAgreed: true });
  }
  const started = performance.now();
  const identifiers = names.map((value) => ({ type: 'dns' as const, value }));
  type OrderRequest = Parameters<acme.Client['createOrder']>[0];
  let created: Awaited<ReturnType<acme.Client['createOrder']>>;
  // The profile is named, as production names Let's Encrypt's "classic" (90 days): given none, Pebble picks
  // one at random, and one run in a few got a 6-day certificate.
  const profile = { profile: ACME_PROFILE };
  try {
    // ARI: the order names the certificate it replaces (Let's Encrypt exempts such renewals from its limits).
    created = await client.createOrder({ identifiers, ...profile, ...(replaces ? { replaces } : {}) } as OrderRequest);
  } catch {
    // A CA that refuses the replacement (the old certificate unknown to it) still issues a new one.
    created = await client.createOrder({ identifiers, ...profile } as OrderRequest);
  }
  const zone = `${o.domain}.`;
  const authorizations = await client.getAuthorizations(created);
  const pending = authorizations
    .filter((a) => a.status === 'pending')
    .map((a) => {
      const challenge = a.challenges.find((c) => c.type === 'dns-01');
      if (!challenge) throw new Error(`the local CA offers no DNS-01 challenge for ${a.identifier.value}`);
      return { authz: a, challenge };
    });
  const answers = await Promise.all(
    pending.map(async (p) => ({ identifier: `${p.authz.wildcard ? '*.' : ''}${p.authz.identifier.value}`, value: await client.getChallengeKeyAuthorization(p.challenge) })),
  );
  const records = challengeRecords(answers);
  try {
    if (records.length > 0) await replaceRrsets(o.dns, zone, records, CHALLENGE_ACCOUNT);
    await Promise.all(pending.map((p) => client.completeChallenge(p.challenge)));
    await Promise.all(pending.map((p) => client.waitForValidStatus(p.challenge)));
  } finally {
    if (records.length > 0) await deleteRrsets(o.dns, zone, records).catch((e: Error) => o.log.warn(`the challenge record _acme-challenge.${o.domain} could not be removed: ${e.message}`));
  }
  // acme-client's forge CSR (RSA 2048): its @peculiar/x509 one throws with the asn1-schema versions installed (tls-files.ts).
  const [key, csr] = await acme.forge.createCsr({ commonName: names[1] ?? names[0]!, altNames: names });
  const finalized = await client.finalizeOrder(created, csr);
  const cert = await client.getCertificate(finalized);
  return { cert, key: key.toString(), seconds: (performance.now() - started) / 1000 };
}

/**
 * Makes sure the servers hold a valid certificate of the local CA for *.<domain> and <domain>: saves the
 * CA's current root as tls/local-ca.pem, then orders a certificate only when certificateDecision says
 * so. `ordered` tells the caller to make the servers re-read it.
 */
export async function ensureCertificate(o: TlsOptions): Promise<TlsReport> {
  const now = o.now ?? (() => new Date());
  const agent = new Agent({ ca: readFileSync(o.apiCaFile, 'utf8'), keepAlive: false });
  const caFile = join(o.dir, TLS_FILES.ca);
  const root = await get(`https://127.0.0.1:${o.ports.acmeManagement}/roots/0`, agent);
  if (root.status !== 200 || !root.body.includes('BEGIN CERTIFICATE')) throw new Error(`the local CA did not give its root (HTTP ${root.status} from its management API)`);
  writeIfChanged(caFile, root.body.endsWith('\n') ? root.body : `${root.body}\n`, 0o644);
  const directoryUrl = `https://127.0.0.1:${o.ports.acme}/dir`;
  const dir = await get(directoryUrl, agent);
  if (dir.status !== 200) throw new Error(`the local CA's directory answered HTTP ${dir.status}: ${dir.body.slice(0, 200)}`);
  const directory = JSON.parse(dir.body) as { renewalInfo?: string };
  const names = certificateNames(o.domain);
  const certFile = join(o.dir, TLS_FILES.cert);
  const held = readHeld(certFile, root.body);
  const window = held?.fromCurrentCa ? await renewalWindow(directory, held, agent) : null;
  const decision = certificateDecision({ wanted: names, held, window, now: now() });
  if (!decision.order) return { ordered: false, reason: decision.reason, names, serial: held!.serial, notAfter: held!.notAfter.toISOString(), caFile };
  o.log.step(`ordering the certificate for ${names.join(', ')} from the local CA by DNS-01: ${decision.reason}`);
  const replaces = replacesHeld(held, names) ? ariCertId(held!.aki!, held!.serial) : null;
  const issued = await order(o, directoryUrl, agent, names, replaces);
  writeIfChanged(join(o.dir, TLS_FILES.key), issued.key, 0o600);
  writeIfChanged(certFile, issued.cert, 0o644);
  const now2 = readHeld(certFile, root.body)!;
  writeFileSync(join(o.dir, TLS_FILES.state), `${JSON.stringify({ names, serial: now2.serial, notBefore: now2.notBefore, notAfter: now2.notAfter, orderedAt: now().toISOString(), reason: decision.reason, issueSeconds: Number(issued.seconds.toFixed(2)) }, null, 2)}\n`, { mode: 0o644 });
  o.log.step(`the local CA issued the certificate for ${names.join(', ')} in ${issued.seconds.toFixed(1)} s (serial ${now2.serial}, valid until ${now2.notAfter.toISOString()})`);
  return { ordered: true, reason: decision.reason, names, serial: now2.serial, notAfter: now2.notAfter.toISOString(), issueSeconds: issued.seconds, caFile };
}
