// The wildcard certificate's decisions (issue 13): whether a run orders, when renewal is due (ARI first,
// two thirds of the lifetime without it), the ARI identifier (RFC 9773's own example), one challenge
// RRset for the wildcard and the apex, and the authority key identifier read from a real certificate.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificateNames } from '../servers/tls-files.ts';
import { ariCertId, authorityKeyId, certificateDecision, challengeRecords, dnsNames, type HeldCertificate, renewalFrom, replacesHeld } from './tls-plan.ts';

const D = 'desa.bekasikab.go.id';
const DAY = 86_400_000;
const issued = new Date('2026-12-01T00:00:00Z');
const held = (o: Partial<HeldCertificate> = {}): HeldCertificate => ({
  names: certificateNames(D),
  notBefore: issued,
  notAfter: new Date(issued.getTime() + 90 * DAY),
  serial: '0A1B',
  aki: 'AB',
  fromCurrentCa: true,
  ...o,
});
const at = (days: number) => new Date(issued.getTime() + days * DAY);

describe('whether a run orders the wildcard certificate', () => {
  it('one certificate for every desa: the wildcard and the apex', () => {
    expect(certificateNames(D)).toEqual([`*.${D}`, D]);
  });

  it('orders when none is held, when it came from another CA, covers other names, or expired', () => {
    const wanted = certificateNames(D);
    expect(certificateDecision({ wanted, held: null, window: null, now: at(1) })).toMatchObject({ order: true, reason: expect.stringMatching(/no certificate/) });
    expect(certificateDecision({ wanted, held: held({ fromCurrentCa: false }), window: null, now: at(1) })).toMatchObject({ order: true, reason: expect.stringMatching(/another CA/) });
    expect(certificateDecision({ wanted: certificateNames('desa.contoh.go.id'), held: held(), window: null, now: at(1) })).toMatchObject({ order: true, reason: expect.stringMatching(/covers \*\.desa\.bekasikab/) });
    expect(certificateDecision({ wanted, held: held(), window: null, now: at(91) })).toMatchObject({ order: true, reason: expect.stringMatching(/expired/) });
  });

  it('a valid certificate for the same names, in any order or case, orders nothing', () => {
    const d = certificateDecision({ wanted: [D.toUpperCase(), `*.${D}`], held: held(), window: null, now: at(1) });
    expect(d).toMatchObject({ order: false, renewFrom: at(60) });
  });

  it('without ARI, renewal is due at two thirds of the lifetime (day 60 of 90)', () => {
    expect(renewalFrom(held(), null)).toEqual({ from: at(60), source: 'lifetime' });
    expect(certificateDecision({ wanted: certificateNames(D), held: held(), window: null, now: at(59.9) }).order).toBe(false);
    expect(certificateDecision({ wanted: certificateNames(D), held: held(), window: null, now: at(60) })).toMatchObject({ order: true, reason: expect.stringMatching(/two thirds/) });
  });

  it("with ARI, the CA's window decides, earlier or later than two thirds", () => {
    const early = { start: at(30), end: at(32) };
    expect(certificateDecision({ wanted: certificateNames(D), held: held(), window: early, now: at(29) }).order).toBe(false);
    expect(certificateDecision({ wanted: certificateNames(D), held: held(), window: early, now: at(30) })).toMatchObject({ order: true, reason: expect.stringMatching(/renewal window opened/) });
    // A CA that suggests renewing later than day 60 is followed (its window, not the rule of thumb).
    const late = { start: at(70), end: at(75) };
    expect(certificateDecision({ wanted: certificateNames(D), held: held(), window: late, now: at(65) })).toMatchObject({ order: false, renewFrom: at(70) });
    // A window that makes no sense (end before start) is ignored.
    expect(renewalFrom(held(), { start: at(80), end: at(10) }).source).toBe('lifetime');
  });
});

describe('ACME details', () => {
  it('the ARI certificate identifier is RFC 9773 §4.1 example', () => {
    expect(ariCertId('69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4', '00:87:65:43:21')).toBe('aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE');
    // node:crypto prints the serial without the leading zero DER needs: it is put back.
    expect(ariCertId('69885B6B87464041E1B37B847BA0AE2CDE01C8D4', '87654321')).toBe('aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE');
    expect(ariCertId('01', '0012')).toBe('AQ.Eg');
  });

  it("a renewal names the certificate it replaces; a new domain's order, or one after the CA restarted, does not", () => {
    expect(replacesHeld(held(), certificateNames(D))).toBe(true);
    expect(replacesHeld(held(), certificateNames('desa.contoh.go.id'))).toBe(false);
    expect(replacesHeld(held({ fromCurrentCa: false }), certificateNames(D))).toBe(false);
    expect(replacesHeld(held({ aki: null }), certificateNames(D))).toBe(false);
    expect(replacesHeld(null, certificateNames(D))).toBe(false);
  });

  it('the wildcard and the apex share one _acme-challenge RRset holding both values', () => {
    const records = challengeRecords([
      { identifier: `*.${D}`, value: 'wildcard-value' },
      { identifier: D, value: 'apex-value' },
    ]);
    expect(records).toEqual([{ name: `_acme-challenge.${D}.`, type: 'TXT', ttl: 60, values: ['"wildcard-value"', '"apex-value"'] }]);
  });

  it('reads the DNS names and the authority key identifier of a certificate', () => {
    expect(dnsNames(`DNS:*.${D}, DNS:${D}, IP Address:127.0.0.1`)).toEqual([`*.${D}`, D]);
    const dir = mkdtempSync(join(tmpdir(), 'desa-aki-'));
    try {
      const sh = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
      sh('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=uji');
      sh('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${D}`);
      writeFileSync(join(dir, 'ext'), `authorityKeyIdentifier=keyid\nsubjectAltName=DNS:*.${D},DNS:${D}\n`);
      sh('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'ext', '-out', 'leaf.pem');
      const text = sh('x509', '-in', 'leaf.pem', '-noout', '-text');
      const expected = /Authority Key Identifier:\s*(?:keyid:)?([0-9A-F:]+)/.exec(text)![1]!.replaceAll(':', '');
      expect(authorityKeyId(new X509Certificate(readFileSync(join(dir, 'leaf.pem'))).raw)).toBe(expected);
      // A self-signed certificate made without the extension has none.
      sh('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'b.key', '-out', 'b.pem', '-days', '1', '-subj', '/CN=b', '-addext', 'authorityKeyIdentifier=none');
      expect(authorityKeyId(new X509Certificate(readFileSync(join(dir, 'b.pem'))).raw)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
