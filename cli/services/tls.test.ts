// What the certificate file holds, read as ensureCertificate reads it (issue 13): a chain that leads to the
// local CA's current root is "from the current CA", one that leads to another root (Pebble restarted) is
// not, and the self-signed stand-in the servers start with is no certificate at all. Real certificates,
// made by openssl.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateNames, selfSigned } from '../servers/tls-files.ts';
import { certificateDecision } from './tls-plan.ts';
import { chainsTo, readHeld } from './tls.ts';

const D = 'desa.bekasikab.go.id';
const dir = mkdtempSync(join(tmpdir(), 'desa-tls-'));
const sh = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** A root, an intermediate it signs, and a leaf for the wildcard the intermediate signs. */
function chainOf(name: string): { root: string; chain: string } {
  sh('req', '-x509', ...ec, '-keyout', `${name}-root.key`, '-out', `${name}-root.pem`, '-days', '2', '-subj', `/CN=${name} root`, '-addext', 'basicConstraints=critical,CA:true');
  sh('req', '-new', ...ec, '-keyout', `${name}-int.key`, '-out', `${name}-int.csr`, '-subj', `/CN=${name} intermediate`);
  writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:true\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n');
  sh('x509', '-req', '-in', `${name}-int.csr`, '-CA', `${name}-root.pem`, '-CAkey', `${name}-root.key`, '-CAcreateserial', '-days', '2', '-extfile', 'ca.ext', '-out', `${name}-int.pem`);
  sh('req', '-new', ...ec, '-keyout', `${name}-leaf.key`, '-out', `${name}-leaf.csr`, '-subj', `/CN=${D}`);
  writeFileSync(join(dir, 'leaf.ext'), `authorityKeyIdentifier=keyid\nsubjectAltName=DNS:*.${D},DNS:${D}\n`);
  sh('x509', '-req', '-in', `${name}-leaf.csr`, '-CA', `${name}-int.pem`, '-CAkey', `${name}-int.key`, '-CAcreateserial', '-days', '1', '-extfile', 'leaf.ext', '-out', `${name}-leaf.pem`);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { root: read(`${name}-root.pem`), chain: read(`${name}-leaf.pem`) + read(`${name}-int.pem`) };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the certificate held', () => {
  const first = chainOf('pebble-1');
  const second = chainOf('pebble-2');

  it('a chain leads to its own root, not to the root of a restarted CA', () => {
    expect(chainsTo(first.chain, first.root)).toBe(true);
    expect(chainsTo(first.chain, second.root)).toBe(false);
    expect(chainsTo('', first.root)).toBe(false);
  });

  it('reads the names, dates, serial and authority key identifier; from the current CA or not', () => {
    writeFileSync(join(dir, 'site.pem'), first.chain);
    const held = readHeld(join(dir, 'site.pem'), first.root)!;
    expect(held).toMatchObject({ names: [`*.${D}`, D], fromCurrentCa: true });
    expect(held.serial).toMatch(/^[0-9A-F]+$/);
    expect(held.aki).toMatch(/^[0-9A-F]{40}$/);
    expect(held.notAfter.getTime() - held.notBefore.getTime()).toBe(86_400_000);
    // Valid and for the same names: nothing to order. After a restart of the CA (a new root): order.
    expect(certificateDecision({ wanted: certificateNames(D), held, window: null, now: new Date() }).order).toBe(false);
    const afterRestart = readHeld(join(dir, 'site.pem'), second.root)!;
    expect(afterRestart.fromCurrentCa).toBe(false);
    expect(certificateDecision({ wanted: certificateNames(D), held: afterRestart, window: null, now: new Date() })).toMatchObject({ order: true, reason: expect.stringMatching(/another CA/) });
  });

  it('the self-signed stand-in is no certificate yet; no file, none', async () => {
    const standIn = await selfSigned(certificateNames(D));
    expect(standIn.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    writeFileSync(join(dir, 'stand-in.pem'), standIn.cert);
    expect(readHeld(join(dir, 'stand-in.pem'), first.root)).toBeNull();
    expect(readHeld(join(dir, 'absent.pem'), first.root)).toBeNull();
    expect(certificateDecision({ wanted: certificateNames(D), held: null, window: null, now: new Date() })).toMatchObject({ order: true, reason: 'no certificate from the local CA yet' });
  });
});
