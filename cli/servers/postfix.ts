// Postfix 3.7 (Debian: postfix): the MX port and SMTP AUTH submission for every desa mailbox, with SASL
// through Dovecot's auth socket, delivery to Dovecot over LMTP, and OpenDKIM as its signing milter. The
// sync writes its texthash maps (postfix/etc/vmailbox, valias, senders); `postfix reload` re-reads them.
import type { ConfigFile, ServerSpec } from './spec.ts';
import { TLS_FILES } from './tls-files.ts';

export const postfix: ServerSpec<'postfix'> = {
  name: 'postfix',
  service: 'mail',
  title: 'Postfix (SMTP)',
  purpose: 'sending and delivery; needs root',
  install: { debian: ['postfix'] },
  requires: [
    { command: 'postfix', package: 'postfix' },
    { root: true, why: 'postfix needs root' },
    { users: ['postfix'], package: 'postfix' },
    { server: 'dovecot', why: 'postfix needs dovecot (SASL and delivery)' },
  ],
  version: { command: 'postconf', args: ['-d', 'mail_version'], pattern: /= (\S+)/ },
  ports: ['submission', 'smtp'],
  uses: ['dovecot', 'opendkim'],
  folders: () => [
    { path: 'postfix/etc', mode: 0o755 },
    { path: 'postfix/queue', mode: 0o755 },
    { path: 'postfix/data', mode: 0o755, owner: 'postfix' },
    { path: 'postfix/log', mode: 0o755 },
  ],
  seeds: [{ path: 'postfix/etc/vmailbox' }, { path: 'postfix/etc/valias' }, { path: 'postfix/etc/senders' }],
  config: (ctx): ConfigFile[] => [
    { path: 'postfix/etc/main.cf', template: 'postfix-main.cf', values: { dir: `${ctx.dir}/postfix`, domain: ctx.domain, dovecotRun: `${ctx.dir}/mail/run`, dkimPort: ctx.ports.dkim, cert: `${ctx.dir}/${TLS_FILES.cert}`, key: `${ctx.dir}/${TLS_FILES.key}` } },
    { path: 'postfix/etc/master.cf', template: 'postfix-master.cf', values: { smtpPort: ctx.ports.smtp, submissionPort: ctx.ports.submission } },
  ],
  // `postfix start-fg` keeps its shell script as the parent of master (SIGTERM to it would orphan
  // master), so `start`: it checks the instance (creating the queue folders), then master daemonizes.
  launch: (ctx) => ({ argv: ['postfix', '-c', `${ctx.dir}/postfix/etc`, 'start'], daemonizes: true }),
  pidFile: 'postfix/queue/pid/master.pid',
  ready: (ctx) => [{ tcp: ctx.ports.smtp }, { tcp: ctx.ports.submission }],
  reload: { command: (ctx) => ['postfix', '-c', `${ctx.dir}/postfix/etc`, 'reload'] },
  logs: ['postfix/log/postfix.log'],
};
