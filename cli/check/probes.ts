// `desa check`'s live probes, each with a real client and a deadline, each returning what it found as
// data (model.ts `Probe`), never throwing and never carrying a secret: a DNS query to the authoritative
// server (node:dns Resolver), a TLS handshake (node:tls), an HTTP GET with the desa's Host (node:http),
// an IMAP login (imapflow), an S3 listing of the bucket (the AWS SDK's S3 client).
import { Resolver } from 'node:dns/promises';
import { type IncomingMessage, request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkServerIdentity, connect as tlsConnect } from 'node:tls';
import type { Certificate, Probe } from './model.ts';

/** Milliseconds each probe may take; a server that does not answer in time is reported as such. */
export const PROBE_TIMEOUT = 5000;

const failed = (e: unknown): { ok: false; error: string; code?: string } => {
  const err = e as NodeJS.ErrnoException;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const message = (err?.message ?? String(e)).split('\n')[0]!.trim();
  return { ok: false, error: message || code || 'failed', ...(code ? { code } : {}) };
};

/** A resolver that asks `server` (host:port) only, once, within the timeout. */
export function resolverFor(server: string, timeout = 2000): Resolver {
  const r = new Resolver({ timeout, tries: 1 });
  r.setServers([server]);
  return r;
}

/** The A records of `host` as the authoritative server answers. */
export async function probeDns(resolver: Resolver, host: string): Promise<Probe<string[]>> {
  try {
    return { ok: true, value: await resolver.resolve4(host) };
  } catch (e) {
    return failed(e);
  }
}

/** GET / on address:port with Host: host; the body up to 1 MiB. With `ca`: over HTTPS (SNI host), trusting only those roots. */
export function probeHttp(address: string, port: number, host: string, timeout = PROBE_TIMEOUT, o: { ca?: string[] } = {}): Promise<Probe<{ status: number; body: string }>> {
  return new Promise((resolve) => {
    const options = { host: address, port, path: '/', headers: { Host: host, 'User-Agent': 'desa-check' }, timeout };
    const get = (cb: (res: IncomingMessage) => void) => (o.ca ? httpsRequest({ ...options, servername: host, ca: o.ca }, cb) : request(options, cb));
    const req = get((res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (body.length < 1 << 20) body += c;
      });
      res.on('end', () => resolve({ ok: true, value: { status: res.statusCode ?? 0, body } }));
      res.on('error', (e) => resolve(failed(e)));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeout / 1000} s`), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => resolve(failed(e)));
    req.end();
  });
}

/** The certificate served on address:port for `host` (SNI), verified against the trust store (`ca` adds to it). */
export function probeTls(address: string, port: number, host: string, o: { ca?: string[]; timeout?: number } = {}): Promise<Probe<Certificate>> {
  const timeout = o.timeout ?? PROBE_TIMEOUT;
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: address, port, servername: host, rejectUnauthorized: false, ...(o.ca ? { ca: o.ca } : {}), timeout });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      resolve({
        ok: true,
        value: {
          authorized: socket.authorized,
          authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
          namesHost: checkServerIdentity(host, cert) === undefined,
          validFrom: new Date(cert.valid_from).toISOString(),
          validTo: new Date(cert.valid_to).toISOString(),
        },
      });
      socket.end();
    });
    socket.once('timeout', () => socket.destroy(Object.assign(new Error(`no handshake within ${timeout / 1000} s`), { code: 'ETIMEDOUT' })));
    socket.once('error', (e) => resolve(failed(e)));
  });
}

/**
 * Logs in to the IMAP server with the mailbox's credentials, then logs out. code AUTH: the server refused
 * them. With `tls`: implicit TLS, the certificate verified for `servername` against those roots only.
 */
export async function probeImap(host: string, port: number, user: string, pass: string, timeout = PROBE_TIMEOUT, tls?: { ca: string[]; servername: string }): Promise<Probe<null>> {
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow({
    host,
    port,
    ...(tls ? { secure: true, tls: { ca: tls.ca, servername: tls.servername, rejectUnauthorized: true } } : { secure: false, doSTARTTLS: false }),
    auth: { user, pass },
    logger: false,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
  });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    const err = e as { authenticationFailed?: boolean; responseText?: string; serverResponseCode?: string };
    client.close();
    if (err.authenticationFailed) return { ok: false, code: 'AUTH', error: err.responseText || err.serverResponseCode || 'authentication failed' };
    return failed(e);
  }
  try {
    await client.logout();
  } catch {
    client.close();
  }
  return { ok: true, value: null };
}

export interface S3Access {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Lists (at most one key of) the bucket with its own key. code S3: the storage answered with an error. */
export async function probeS3(a: S3Access, timeout = PROBE_TIMEOUT): Promise<Probe<null>> {
  const { S3Client, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    endpoint: a.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey },
    requestHandler: { connectionTimeout: timeout, requestTimeout: timeout },
  });
  try {
    await client.send(new ListObjectsV2Command({ Bucket: a.bucket, MaxKeys: 1 }), { abortSignal: AbortSignal.timeout(timeout) });
    return { ok: true, value: null };
  } catch (e) {
    const err = e as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
    if (err.$metadata?.httpStatusCode) return { ok: false, code: 'S3', error: `${err.name ?? 'error'}, HTTP ${err.$metadata.httpStatusCode}` };
    return failed(e);
  } finally {
    client.destroy();
  }
}
