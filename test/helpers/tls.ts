// The local servers over TLS, as a client that trusts only the local CA would use them (issue 13): the
// CA's root from .desa/services/tls/local-ca.pem, the site over HTTPS with the desa's name (SNI), and the
// mail host's name for IMAPS, STARTTLS and submission.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

/** The local CA's root, the only one these clients trust. */
export const localCa = (services: string): string[] => [readFileSync(join(services, 'tls', 'local-ca.pem'), 'utf8')];

/** The name the mail servers' certificate is checked for: mail.<domain> of the address. */
export const mailHost = (address: string) => `mail.${address.split('@')[1]}`;

/** IMAPS options for imapflow: implicit TLS, the certificate verified for the mail host against `ca` only. */
export const imapTls = (ca: string[], address: string) => ({ secure: true, tls: { ca, servername: mailHost(address), rejectUnauthorized: true } });

/** Submission options for nodemailer: STARTTLS required before AUTH, verified against `ca` only. */
export const submissionTls = (ca: string[], address: string) => ({ secure: false, requireTLS: true, tls: { ca, servername: mailHost(address), rejectUnauthorized: true } });

/** GET `path` with the desa's Host over HTTPS (SNI), verified against `ca` only. */
export function httpsGet(port: number, host: string, ca: string[], path = '/'): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, servername: host, headers: { Host: host }, ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
