// Dovecot 2.3 (Debian: dovecot-core, dovecot-imapd, dovecot-lmtpd): IMAP over TLS for the desa mailboxes, LMTP for
// Postfix's deliveries and SASL for Postfix's SMTP AUTH. The accounts are mail/users, a passwd-file the
// sync writes (hashes only) and Dovecot re-reads on change: no reload for them.
import type { ServerContext, ServerSpec } from './spec.ts';
import { TLS_FILES } from './tls-files.ts';

/** Kubernetes binary quantities as Dovecot writes them: 2Gi → 2G, 512Mi → 512M; plain bytes stay. */
export function dovecotQuota(quantity: string): string {
  const m = /^(\d+)(Ki|Mi|Gi|Ti)?$/.exec(quantity.trim());
  if (!m) throw new Error(`unsupported quota "${quantity}" (expected a size such as 2Gi)`);
  return m[2] ? `${m[1]}${m[2][0]}` : m[1]!;
}

/** The users its processes run as: as root, Dovecot's own and nobody; otherwise the running user. */
function users(ctx: ServerContext) {
  if (ctx.root) return { loginUser: 'dovenull', internalUser: 'dovecot', socketGroup: 'dovecot', mailUid: 'nobody', mailGid: ctx.nobodyGroup, authUser: 'root' };
  const { user, group } = ctx.self;
  return { loginUser: user, internalUser: user, socketGroup: group, mailUid: user, mailGid: group, authUser: '$default_internal_user' };
}

export const dovecot: ServerSpec<'dovecot'> = {
  name: 'dovecot',
  service: 'mail',
  title: 'Dovecot (IMAP)',
  purpose: 'mailbox logins',
  install: { debian: ['dovecot-core', 'dovecot-imapd', 'dovecot-lmtpd'] },
  requires: [
    { command: 'dovecot', package: 'dovecot-core' },
    { command: 'doveadm', package: 'dovecot-core' },
    { file: '/usr/lib/dovecot/imap', package: 'dovecot-imapd' },
    { file: '/usr/lib/dovecot/lmtp', package: 'dovecot-lmtpd' },
    { file: '/usr/share/dovecot/dh.pem', package: 'dovecot-core' },
    { users: ['dovenull', 'dovecot', 'nobody'], package: 'dovecot-core' },
  ],
  version: { command: 'dovecot', args: ['--version'], pattern: /^(\d+\.\d+\.\d+)/m },
  ports: ['imaps', 'imap'],
  folders: (ctx) => [
    { path: 'mail', mode: 0o755 },
    // The Maildirs belong to the mail user, never to root.
    { path: 'mail/mail', mode: 0o755, ...(ctx.root ? { owner: `nobody:${ctx.nobodyGroup}` } : {}) },
  ],
  // Read by Dovecot's auth process (root as root): hashes only, still not for other users.
  seeds: [{ path: 'mail/users', mode: 0o600 }],
  config: (ctx) => [
    {
      path: 'mail/dovecot.conf',
      template: 'dovecot.conf',
      values: { dir: `${ctx.dir}/mail`, log: `${ctx.dir}/log/dovecot.log`, imapPort: ctx.ports.imap, imapsPort: ctx.ports.imaps, cert: `${ctx.dir}/${TLS_FILES.cert}`, key: `${ctx.dir}/${TLS_FILES.key}`, domain: ctx.domain, defaultQuota: dovecotQuota(ctx.values.defaultMailboxQuota), ...users(ctx) },
    },
  ],
  launch: (ctx) => ({ argv: ['dovecot', '-c', `${ctx.dir}/mail/dovecot.conf`, '-F'] }),
  pidFile: 'mail/run/master.pid',
  ready: (ctx) => [{ tcp: ctx.ports.imap }, { tcp: ctx.ports.imaps }],
  // The master re-reads dovecot.conf on SIGHUP (doveadm reload does the same).
  reload: { signal: 'SIGHUP' },
};
