// The mail servers' files the sync writes: Dovecot's accounts (a passwd-file it re-reads on change),
// Postfix's maps (re-read on `postfix reload`) and OpenDKIM's signing key with its tables (SIGUSR1),
// rendered by mail.ts and handed over through the supervisor (cli/servers/apply.ts).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applyFiles } from '../servers/apply.ts';
import { writeIfChanged } from '../servers/files.ts';
import type { LocalServices } from '../servers/state.ts';
import type { Mailbox } from './desired.ts';
import { parseUsers, renderPostfixMaps, renderUsers } from './mail.ts';

export interface MailTarget {
  services: LocalServices;
  domain: string;
  env: NodeJS.ProcessEnv;
}

/** Dovecot's accounts and Postfix's maps; Postfix re-reads its maps when they changed (or a reload is owed). */
export async function writeMail(t: MailTarget, mailboxes: readonly Mailbox[]): Promise<{ changed: boolean }> {
  const usersFile = join(t.services.dir, 'mail', 'users');
  const current = existsSync(usersFile) ? parseUsers(readFileSync(usersFile, 'utf8')) : new Map<string, string>();
  // Read by Dovecot's auth process (root): hashes only, still not for other users.
  const users = writeIfChanged(usersFile, renderUsers(mailboxes, current), 0o600);
  const maps = Object.entries(renderPostfixMaps(mailboxes)).map(([name, content]) => ({ path: `postfix/etc/${name}`, content, mode: 0o644 }));
  const r = await applyFiles({ dir: t.services.dir, env: t.env }, 'postfix', 'maps', maps, { domain: t.domain });
  return { changed: users || r.changed };
}

/** OpenDKIM's signing key (0600, its own) and the tables that name it for the domain; nothing changes when both are in place. */
export async function writeDkimKey(t: MailTarget, dkim: { selector: string; privateKey: string }): Promise<void> {
  const { selector: sel, privateKey } = dkim;
  if (!/^[a-z0-9-]+$/.test(sel)) throw new Error(`the DKIM selector must be a DNS label, not "${sel}"`);
  if (!privateKey.includes('PRIVATE KEY-----')) throw new Error('the mail-dkim Secret holds no PEM private key');
  const key = join(t.services.dir, 'dkim', 'keys', `${sel}.private`);
  const name = `${sel}._domainkey.${t.domain}`;
  await applyFiles(
    { dir: t.services.dir, env: t.env },
    'opendkim',
    'key',
    [
      { path: `dkim/keys/${sel}.private`, content: privateKey, mode: 0o600, owner: 'opendkim:opendkim' },
      { path: 'dkim/KeyTable', content: `${name} ${t.domain}:${sel}:${key}\n`, mode: 0o644 },
      { path: 'dkim/SigningTable', content: `*@${t.domain} ${name}\n`, mode: 0o644 },
    ],
    { domain: t.domain, prune: 'dkim/keys' },
  );
}

/** Removes a desa's Maildirs (<slug>.<role>@<domain>), for destroy --delete-data. Slugs and roles have no dots. */
export function deleteMaildirs(s: LocalServices, domain: string, slug: string): number {
  const root = join(s.dir, 'mail', 'mail', domain);
  if (!existsSync(root) || !/^[a-z0-9-]+$/.test(slug)) return 0;
  let n = 0;
  for (const name of readdirSync(root)) {
    if (name.startsWith(`${slug}.`) && !name.slice(slug.length + 1).includes('.')) {
      rmSync(join(root, name), { recursive: true, force: true });
      n++;
    }
  }
  return n;
}
