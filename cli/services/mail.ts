// Mail accounts for Dovecot (IMAP, and SMTP AUTH for Postfix through Dovecot's auth socket) and Postfix
// (which addresses exist, aliases, who may send as whom). The renderers are pure; the writer in
// mail-files.ts puts the files in place atomically. Passwords are stored only as salted SHA-512
// hashes, and a line whose hash still matches is kept as it is, so an unchanged account changes no file.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Mailbox } from './desired.ts';

const SCHEME = '{SSHA512}';

/** Dovecot's {SSHA512}: base64(sha512(password + salt) + salt). */
export function ssha512(password: string, salt: Buffer = randomBytes(16)): string {
  const digest = createHash('sha512').update(password, 'utf8').update(salt).digest();
  return SCHEME + Buffer.concat([digest, salt]).toString('base64');
}

export function verifySsha512(hash: string, password: string): boolean {
  if (!hash.startsWith(SCHEME)) return false;
  const raw = Buffer.from(hash.slice(SCHEME.length), 'base64');
  if (raw.length <= 64) return false;
  const expected = createHash('sha512').update(password, 'utf8').update(raw.subarray(64)).digest();
  return timingSafeEqual(expected, raw.subarray(0, 64));
}

/** address → the hash field of each line of a Dovecot passwd-file. */
export function parseUsers(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [address, hash] = line.split(':');
    if (address && hash) out.set(address, hash);
  }
  return out;
}

/** The passwd-file: one line per mailbox with its quota; existing hashes reused when they still match. */
export function renderUsers(mailboxes: readonly Mailbox[], current: ReadonlyMap<string, string>): string {
  return mailboxes
    .map((m) => {
      const old = current.get(m.address);
      const hash = old && verifySsha512(old, m.password) ? old : ssha512(m.password);
      return `${m.address}:${hash}::::::userdb_quota_rule=*:storage=${m.quota}\n`;
    })
    .join('');
}

export interface PostfixMaps {
  /** Addresses that exist: `<address> OK`. */
  vmailbox: string;
  /** `<alias> <address>`. */
  valias: string;
  /** Who may send as an address (smtpd_sender_login_maps): the mailbox itself, for its address and aliases. */
  senders: string;
}

export function renderPostfixMaps(mailboxes: readonly Mailbox[]): PostfixMaps {
  const lines = (f: (m: Mailbox) => string[]) => mailboxes.flatMap(f).map((l) => `${l}\n`).join('');
  return {
    vmailbox: lines((m) => [`${m.address} OK`]),
    valias: lines((m) => m.aliases.map((a) => `${a} ${m.address}`)),
    senders: lines((m) => [m.address, ...m.aliases].map((a) => `${a} ${m.address}`)),
  };
}
