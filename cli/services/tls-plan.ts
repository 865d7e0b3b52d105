// The decisions behind the wildcard certificate, as plain functions over data: which names it covers,
// whether a run must order one (none held, another CA, other names, expired, renewal due), when renewal
// is due (the CA's renewal information, ARI, when it offers a window; else two thirds of the lifetime,
// as certbot and cert-manager do), the ARI certificate identifier, and the one challenge RRset that
// carries the values of both authorizations (the wildcard and the apex share `_acme-challenge.<domain>`).
import type { DnsRecord } from '../../core/contract.ts';

/** What desa reads from the certificate it holds. */
export interface HeldCertificate {
  /** Its subjectAltName DNS names. */
  names: readonly string[];
  notBefore: Date;
  notAfter: Date;
  /** Hex, as X.509 tools print it. */
  serial: string;
  /** The authority key identifier (hex), or null when the certificate has none. */
  aki: string | null;
  /** Whether it chains to the local CA's current root (Pebble makes a new root on every start). */
  fromCurrentCa: boolean;
}

/** The CA's suggested renewal window (ARI, RFC 9773). */
export interface RenewalWindow {
  start: Date;
  end: Date;
}

export type Decision = { order: true; reason: string } | { order: false; reason: string; renewFrom: Date };

const sameNames = (a: readonly string[], b: readonly string[]) => {
  const norm = (x: readonly string[]) => [...new Set(x.map((n) => n.toLowerCase()))].sort().join(' ');
  return norm(a) === norm(b);
};

/** When renewal is due: the ARI window's start, or two thirds into the certificate's lifetime. */
export function renewalFrom(held: Pick<HeldCertificate, 'notBefore' | 'notAfter'>, window: RenewalWindow | null): { from: Date; source: 'ari' | 'lifetime' } {
  if (window && window.start.getTime() <= window.end.getTime()) return { from: window.start, source: 'ari' };
  const life = held.notAfter.getTime() - held.notBefore.getTime();
  return { from: new Date(held.notBefore.getTime() + (life * 2) / 3), source: 'lifetime' };
}

/** Whether this run orders a certificate for `wanted`, and why (for the log). */
export function certificateDecision(o: { wanted: readonly string[]; held: HeldCertificate | null; window: RenewalWindow | null; now: Date }): Decision {
  const { held, now } = o;
  if (!held) return { order: true, reason: 'no certificate from the local CA yet' };
  if (!held.fromCurrentCa) return { order: true, reason: 'the certificate held was issued by another CA (the local CA makes a new root on every start)' };
  if (!sameNames(held.names, o.wanted)) return { order: true, reason: `the certificate held covers ${held.names.join(', ')}, not ${o.wanted.join(', ')}` };
  if (now.getTime() >= held.notAfter.getTime()) return { order: true, reason: `the certificate held expired on ${held.notAfter.toISOString()}` };
  const due = renewalFrom(held, o.window);
  if (now.getTime() >= due.from.getTime()) {
    return { order: true, reason: due.source === 'ari' ? `the CA's renewal window opened on ${due.from.toISOString()}` : `two thirds of its lifetime passed on ${due.from.toISOString()}` };
  }
  return { order: false, reason: `valid until ${held.notAfter.toISOString()}; renewal from ${due.from.toISOString()} (${due.source === 'ari' ? "the CA's renewal window" : 'two thirds of its lifetime'})`, renewFrom: due.from };
}

/**
 * Whether a new order names the held certificate as the one it replaces (ARI `replaces`): only one of the
 * same CA sharing a name with the order (a CA refuses the others; Pebble with a 500, which clients retry).
 */
export function replacesHeld(held: HeldCertificate | null, wanted: readonly string[]): boolean {
  if (!held?.fromCurrentCa || !held.aki) return false;
  const names = new Set(wanted.map((n) => n.toLowerCase()));
  return held.names.some((n) => names.has(n.toLowerCase()));
}

const b64url = (bytes: Buffer) => bytes.toString('base64url');

/** Hex with or without colons, to bytes. */
const hexBytes = (hex: string) => {
  const h = hex.replace(/[^0-9a-f]/gi, '');
  return Buffer.from(h.length % 2 ? `0${h}` : h, 'hex');
};

/**
 * The ARI certificate identifier (RFC 9773 §4.1): base64url of the authority key identifier's keyIdentifier,
 * a dot, base64url of the serial number's DER content octets (a leading zero byte kept when the high bit
 * is set, as DER writes a positive integer).
 */
export function ariCertId(akiHex: string, serialHex: string): string {
  let serial = hexBytes(serialHex);
  while (serial.length > 1 && serial[0] === 0 && serial[1]! < 0x80) serial = serial.subarray(1);
  if (serial[0]! >= 0x80) serial = Buffer.concat([Buffer.from([0]), serial]);
  return `${b64url(hexBytes(akiHex))}.${b64url(serial)}`;
}

/** The names a DNS-01 challenge for `identifier` is answered at (a wildcard's is its base name's). */
export const challengeName = (identifier: string) => `_acme-challenge.${identifier.replace(/^\*\./, '')}.`;

/** The challenge records of an order: one TXT RRset per name, holding every value for that name. */
export function challengeRecords(answers: readonly { identifier: string; value: string }[], ttl = 60): DnsRecord[] {
  const byName = new Map<string, string[]>();
  for (const a of answers) {
    const name = challengeName(a.identifier);
    const values = byName.get(name) ?? [];
    if (!values.includes(`"${a.value}"`)) values.push(`"${a.value}"`);
    byName.set(name, values);
  }
  return [...byName].map(([name, values]) => ({ name, type: 'TXT' as const, ttl, values }));
}

/** The DNS names of a subjectAltName as node:crypto prints it ("DNS:*.a.test, DNS:a.test"). */
export function dnsNames(subjectAltName: string | undefined): string[] {
  return (subjectAltName ?? '')
    .split(/,\s*/)
    .filter((x) => x.startsWith('DNS:'))
    .map((x) => x.slice(4).replace(/^"|"$/g, ''));
}

/** One DER element at `at`: its tag, where its content starts and ends. */
function der(buf: Buffer, at: number): { tag: number; start: number; end: number } {
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i]!;
    start += n;
  }
  return { tag, start, end: start + len };
}

/** The OID 2.5.29.35 (authorityKeyIdentifier), as DER. */
const AKI_OID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x23]);

/**
 * The authority key identifier of a DER certificate (hex), or null without one: the extension's
 * OCTET STRING holds SEQUENCE { [0] keyIdentifier, ... } (RFC 5280 §4.2.1.1). node:crypto does not expose it.
 */
export function authorityKeyId(certDer: Buffer): string | null {
  const at = certDer.indexOf(AKI_OID);
  if (at < 0) return null;
  let next = at + AKI_OID.length;
  if (certDer[next] === 0x01) next = der(certDer, next).end; // critical BOOLEAN, never set for this extension
  const octets = der(certDer, next);
  if (octets.tag !== 0x04) return null;
  const seq = der(certDer, octets.start);
  if (seq.tag !== 0x30) return null;
  const first = der(certDer, seq.start);
  if (first.tag !== 0x80) return null;
  return certDer.subarray(first.start, first.end).toString('hex').toUpperCase();
}
