// The TLS files the front doors serve (nginx HTTPS, Dovecot IMAPS/STARTTLS, Postfix STARTTLS): one
// wildcard certificate for *.<domain> and <domain>, ordered from the local CA (cli/services/tls.ts).
// Until the first one is issued, a self-signed stand-in for the same names lets the servers start with
// TLS on (so no front door ever accepts a password in plain text); it verifies against nothing.
// Private keys are 0600 and never printed. (@peculiar/x509's generators are not used: with the two
// versions of @peculiar/asn1-schema the lock file installs, 2.8.0 and 2.11.1, they throw "Cannot get
// schema for 'AlgorithmIdentifier'".)
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../process.ts';
import { makeFolder, writeIfChanged } from './files.ts';

/** The files, relative to the services folder. */
export const TLS_FILES = {
  folder: 'tls',
  /** The certificate and its chain (PEM, leaf first), as nginx, Dovecot and Postfix read it. */
  cert: 'tls/site.pem',
  /** Its private key (PEM), 0600. */
  key: 'tls/site.key',
  /** The local CA's root: the file a user trusts (curl --cacert). */
  ca: 'tls/local-ca.pem',
  /** The ACME account key (0600). */
  account: 'tls/account.key',
  /** What desa knows of the certificate it holds: the CA it came from, when it was ordered and renewed. */
  state: 'tls/certificate.json',
} as const;

/** The names the one certificate covers: the wildcard for every desa and the apex. */
export const certificateNames = (domain: string): string[] => [`*.${domain}`, domain];

/**
 * A self-signed certificate for the names, with its key (PEM), made by openssl (the cluster's own PKI
 * needs it too) in a private temp folder: the key goes from file to file, never through an argument or
 * the output.
 */
export async function selfSigned(names: readonly string[], days = 90): Promise<{ cert: string; key: string }> {
  const tmp = mkdtempSync(join(process.env.TMPDIR ?? '/tmp', 'desa-tls-'));
  try {
    const base = names[0]!.replace(/^\*\./, '');
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(tmp, 'key.pem'), '-out', join(tmp, 'cert.pem'), '-days', String(days), '-subj', `/CN=${base} (desa: not issued yet)`, '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`], { what: 'openssl (a stand-in certificate)' });
    return { cert: readFileSync(join(tmp, 'cert.pem'), 'utf8'), key: readFileSync(join(tmp, 'key.pem'), 'utf8') };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Makes the tls folder and, when no certificate is there yet, the self-signed stand-in. True when it wrote one. */
export async function ensureServingCertificate(dir: string, domain: string): Promise<boolean> {
  makeFolder(join(dir, TLS_FILES.folder), 0o755);
  if (existsSync(join(dir, TLS_FILES.cert)) && existsSync(join(dir, TLS_FILES.key))) return false;
  const { cert, key } = await selfSigned(certificateNames(domain));
  writeIfChanged(join(dir, TLS_FILES.key), key, 0o600);
  writeIfChanged(join(dir, TLS_FILES.cert), cert, 0o644);
  return true;
}
