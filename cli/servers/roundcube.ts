// Roundcube 1.6 (Debian: roundcube-core, roundcube-sqlite3, served by php8.2-fpm; no Apache): webmail at
// webmail.<domain>, behind the local nginx (nginx.ts renders its server block). Its own PHP-FPM master
// and pool, with its own socket, run as its own system user (as root); its settings are desa's own
// config.inc.php, rendered from typed values on every start into roundcube/config/, which the pool
// names with ROUNDCUBE_CONFIG_DIR (Debian's iniset.php reads it), so /etc/roundcube is never edited or
// read (but for Debian's defaults.inc.php, which desa's defaults.inc.php includes). Its database is
// SQLite, made once from Debian's SQL/sqlite.initial.sql. It logs in to Dovecot over IMAP and sends
// through Postfix's submission port with the user's own login. The password plugin stays off: desa
// generates and rotates the passwords.
import { webmailHost } from '../../core/contract.ts';
import type { ConfigFile, ServerContext, ServerSpec } from './spec.ts';
import { lookupOwner } from './system.ts';
import { TLS_FILES } from './tls-files.ts';
import { ROUNDCUBE_PUBLIC, WEB_USER, WEBMAIL_SOCKET, WEBMAIL_UPLOAD_MB } from './web.ts';

/** The system user Roundcube's PHP runs as (root only): it owns its database, temp files and logs. */
export const WEBMAIL_USER = 'desa-webmail';

/** Debian's files Roundcube is made from. */
export const ROUNDCUBE_SHARE = '/usr/share/roundcube';
const SQLITE_SCHEMA = `${ROUNDCUBE_SHARE}/SQL/sqlite.initial.sql`;
const DEBIAN_DEFAULTS = '/etc/roundcube/defaults.inc.php';

/** Its database, relative to the services folder. */
export const WEBMAIL_DATABASE = 'roundcube/db/roundcube.sqlite';
const PID_FILE = 'roundcube/run/fpm.pid';

/** The secret that encrypts the IMAP password in a Roundcube session: made once, kept (secrets/, 0600). */
const DES_KEY = 'roundcube-des-key';

/** A PHP string literal: single-quoted, backslashes and quotes escaped. */
export const phpString = (s: string): string => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

const mine = (ctx: ServerContext) => (ctx.root ? { owner: `${WEBMAIL_USER}:${WEBMAIL_USER}` } : {});

/** The values of desa's config.inc.php: what a person sees (language, skin, title) and where it connects. */
export function roundcubeSettings(ctx: ServerContext) {
  const dir = `${ctx.dir}/roundcube`;
  return {
    // Four slashes: sqlite:/// and an absolute path.
    dbDsn: phpString(`sqlite:///${ctx.dir}/${WEBMAIL_DATABASE}?mode=0600`),
    // Over TLS, as every client: IMAPS, and submission with STARTTLS (AUTH before it is refused), the
    // certificate checked against the local CA for mail.<domain> (the servers listen on loopback only).
    imapHost: phpString(`ssl://127.0.0.1:${ctx.ports.imaps}`),
    smtpHost: phpString(`tls://127.0.0.1:${ctx.ports.submission}`),
    caFile: phpString(`${ctx.dir}/${TLS_FILES.ca}`),
    peerName: phpString(`mail.${ctx.domain}`),
    // `<slug>.<role>` logs in as `<slug>.<role>@<domain>`; a full address is taken as it is.
    usernameDomain: phpString(ctx.domain),
    productName: phpString(`Webmail ${ctx.kabupaten}`),
    language: phpString('id_ID'),
    skin: phpString('elastic'),
    maxMessageSize: phpString(`${WEBMAIL_UPLOAD_MB}M`),
    tempDir: phpString(`${dir}/tmp/`),
    logDir: phpString(`${dir}/log/`),
  };
}

/** The PHP-FPM master and its one pool: the user, the socket for nginx's workers, the environment. */
function fpmValues(ctx: ServerContext) {
  const dir = `${ctx.dir}/roundcube`;
  // Debian's Roundcube and the libraries and assets it links to (PHP libraries, skins' scripts and styles).
  const readable = [`${ctx.dir}/${TLS_FILES.ca}`, `${ROUNDCUBE_SHARE}/`, '/var/lib/roundcube/', '/etc/roundcube/', '/usr/share/php/', '/usr/share/javascript/', '/usr/share/nodejs/', '/etc/mime.types', `${dir}/`];
  return {
    pidFile: `${ctx.dir}/${PID_FILE}`,
    errorLog: `${ctx.dir}/log/roundcube.log`,
    userLines: ctx.root ? `user = ${WEBMAIL_USER}\ngroup = ${WEBMAIL_USER}` : '; (not root: the pool runs as the user desa runs as)',
    socket: `${ctx.dir}/${WEBMAIL_SOCKET}`,
    listenOwner: ctx.root ? `listen.owner = ${WEB_USER}\nlisten.group = ${WEB_USER}` : '; (not root: nginx runs as the same user)',
    public: ROUNDCUBE_PUBLIC,
    configDir: `${dir}/config`,
    desKey: ctx.secret(DES_KEY),
    openBasedir: readable.join(':'),
    dir,
    uploadMax: `${WEBMAIL_UPLOAD_MB}M`,
    postMax: `${WEBMAIL_UPLOAD_MB + 5}M`,
  };
}

export const roundcube: ServerSpec<'roundcube'> = {
  name: 'roundcube',
  service: 'mail',
  title: 'Roundcube (webmail)',
  purpose: 'webmail in the browser, at webmail.<domain> through nginx',
  install: { debian: ['php8.2-fpm', 'roundcube-core', 'roundcube-sqlite3'] },
  requires: [
    { command: 'php-fpm8.2', package: 'php8.2-fpm' },
    { file: `${ROUNDCUBE_SHARE}/index.php`, package: 'roundcube-core' },
    { file: SQLITE_SCHEMA, package: 'roundcube-core' },
    { file: '/etc/php/8.2/mods-available/pdo_sqlite.ini', package: 'roundcube-sqlite3' },
    { command: 'sqlite3', package: 'sqlite3' },
    { command: 'useradd', package: 'passwd' },
    { server: 'dovecot', why: 'webmail logs in to dovecot' },
    { server: 'nginx', why: 'webmail is served by nginx' },
  ],
  version: { command: 'dpkg-query', args: ['-W', '-f=${Version}', 'roundcube-core'], pattern: /^(\d+\.\d+\.\d+)/ },
  // Served on nginx's port, at its own host name.
  ports: [],
  uses: ['dovecot', 'postfix'],
  systemUser: { name: WEBMAIL_USER, comment: 'desa webmail (Roundcube)' },
  secrets: [{ name: DES_KEY, bytes: 12 }],
  folders: (ctx) => [
    { path: 'roundcube', mode: 0o755 },
    { path: 'roundcube/config', mode: 0o755 },
    { path: 'roundcube/run', mode: 0o755 },
    { path: 'roundcube/db', mode: 0o700, ...mine(ctx) },
    { path: 'roundcube/tmp', mode: 0o700, ...mine(ctx) },
    { path: 'roundcube/log', mode: 0o700, ...mine(ctx) },
  ],
  config: (ctx): ConfigFile[] => [
    { path: 'roundcube/config/config.inc.php', template: 'roundcube-config.inc.php', values: roundcubeSettings(ctx) },
    { path: 'roundcube/config/defaults.inc.php', template: 'roundcube-defaults.inc.php', values: { defaults: phpString(DEBIAN_DEFAULTS) } },
    // The des_key is in the pool's environment: this file is root's alone (0600).
    { path: 'roundcube/php-fpm.conf', template: 'roundcube-fpm.conf', values: fpmValues(ctx), mode: 0o600 },
  ],
  init: {
    creates: WEBMAIL_DATABASE,
    run: async (ctx, tmp) => {
      const { run } = await import('../process.ts');
      const { chmodSync, chownSync } = await import('node:fs');
      await run('sqlite3', [tmp, `.read ${SQLITE_SCHEMA}`], { what: `creating webmail's database from ${SQLITE_SCHEMA}` });
      chmodSync(tmp, 0o600);
      const owner = ctx.root ? lookupOwner(WEBMAIL_USER) : null;
      if (owner) chownSync(tmp, owner.uid, owner.gid);
    },
  },
  launch: (ctx) => {
    const conf = `${ctx.dir}/roundcube/php-fpm.conf`;
    return { argv: ['php-fpm8.2', '--nodaemonize', '--fpm-config', conf], check: ['php-fpm8.2', '--test', '--fpm-config', conf] };
  },
  pidFile: PID_FILE,
  // Ready when the login page answers through nginx: the pool, its config and its database all work.
  ready: (ctx) => [{ pidFile: PID_FILE }, { https: `https://127.0.0.1:${ctx.ports.https}/`, host: webmailHost(ctx.domain), trust: [TLS_FILES.cert, TLS_FILES.ca] }],
  reload: { signal: 'SIGUSR2' },
  logs: ['roundcube/log/errors.log'],
};
