// The probes against real servers in this process (HTTP, TLS with generated certificates) and real
// closed ports; PowerDNS, Dovecot and the S3 gateway answering them are in test/check.e2e.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeDns, probeHttp, probeImap, probeS3, probeTls, resolverFor } from './probes.ts';

/** A self-signed certificate for `host`, valid from now for `days` days (openssl). */
function selfSigned(host: string, days: number): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'desa-tls-'));
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`, '-days', String(days)], { stdio: 'ignore' });
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

const listen = (s: Server | ReturnType<typeof createTlsServer>) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));

describe('the probes', () => {
  const servers: { close(): unknown }[] = [];
  afterAll(() => servers.forEach((s) => s.close()));
  let http: number;
  let closed: number;

  beforeAll(async () => {
    const s = createHttpServer((req, res) => {
      if (req.headers.host === 'sumberjaya.desa.test') res.end('<h1>Desa Sumberjaya</h1>');
      else res.writeHead(404).end();
    });
    servers.push(s);
    http = await listen(s);
    closed = await closedPort();
  });

  it('http: sends the desa host, returns status and page; a closed port is ECONNREFUSED', async () => {
    expect(await probeHttp('127.0.0.1', http, 'sumberjaya.desa.test')).toEqual({ ok: true, value: { status: 200, body: '<h1>Desa Sumberjaya</h1>' } });
    expect(await probeHttp('127.0.0.1', http, 'lain.desa.test')).toMatchObject({ ok: true, value: { status: 404 } });
    expect(await probeHttp('127.0.0.1', closed, 'sumberjaya.desa.test')).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
  });

  it('http: a server that never answers is a timeout, not a hang', async () => {
    const silent = createNetServer(() => {});
    servers.push(silent);
    const port = await listen(silent as unknown as Server);
    const t = Date.now();
    expect(await probeHttp('127.0.0.1', port, 'x.desa.test', 300)).toMatchObject({ ok: false, code: 'ETIMEDOUT' });
    expect(Date.now() - t).toBeLessThan(3000);
  });

  it('tls: reads validity and whether the certificate names the host and is trusted', async () => {
    const now = Date.now();
    const { cert, key } = selfSigned('sumberjaya.desa.test', 30);
    const s = createTlsServer({ cert, key }, (socket) => socket.end());
    servers.push(s);
    const port = await listen(s);
    const untrusted = await probeTls('127.0.0.1', port, 'sumberjaya.desa.test');
    expect(untrusted).toMatchObject({ ok: true, value: { authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', namesHost: true } });
    const trusted = await probeTls('127.0.0.1', port, 'sumberjaya.desa.test', { ca: [cert] });
    expect(trusted).toMatchObject({ ok: true, value: { authorized: true, authorizationError: null, namesHost: true } });
    if (!trusted.ok) throw new Error('unreachable');
    expect(Math.round((new Date(trusted.value.validTo).getTime() - now) / 86_400_000)).toBe(30);
    expect(await probeTls('127.0.0.1', port, 'lain.desa.test', { ca: [cert] })).toMatchObject({ ok: true, value: { namesHost: false } });
    expect(await probeTls('127.0.0.1', closed, 'sumberjaya.desa.test')).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
  });

  it('dns, imap and s3: nothing listening is said as such, fast', async () => {
    const t = Date.now();
    expect(await probeDns(resolverFor(`127.0.0.1:${closed}`), 'sumberjaya.desa.test')).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
    expect(await probeImap('127.0.0.1', closed, 'a@desa.test', 'x')).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
    const s3 = await probeS3({ endpoint: `http://127.0.0.1:${closed}`, bucket: 'desa-x', accessKeyId: 'AK', secretAccessKey: 'SECRET-VALUE' });
    expect(s3).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
    expect(JSON.stringify(s3)).not.toContain('SECRET-VALUE');
    expect(Date.now() - t).toBeLessThan(5000);
  });
});
