// nginx 1.22 (Debian: nginx): every desa's profile page over HTTPS (plain HTTP answers 301 to it), <slug>.<domain> → web/sites/<slug>/index.html,
// which the sync writes (adding or removing a site needs no reload), and each OpenSID desa's server block
// (web/opensid/<slug>.conf, to its PHP-FPM pool), and webmail (web/webmail.conf, to Roundcube's pool).
// SIGHUP re-reads nginx.conf and those blocks.
import { FILES, filesHost, webmailHost } from '../../core/contract.ts';
import type { ConfigFile, ServerContext, ServerSpec } from './spec.ts';
import { TLS_FILES } from './tls-files.ts';
import { ROUNDCUBE_PUBLIC, WEB_USER, WEBMAIL_SOCKET, WEBMAIL_UPLOAD_MB } from './web.ts';

export { WEB_USER };

/**
 * How a server block of the front door listens: the one place the sites' protocol is chosen. HTTPS, with
 * the wildcard certificate named once in nginx.conf's http block; plain HTTP to any <label>.<domain>
 * answers 301 to it (nginx.conf).
 */
export const frontDoor = (ctx: ServerContext): string => `listen 127.0.0.1:${ctx.ports.https} ssl;`;

/** Webmail's server block (webmail.<domain> → Roundcube's PHP-FPM pool), rendered with nginx.conf. */
export function webmailSite(ctx: ServerContext): ConfigFile {
  return {
    path: 'web/webmail.conf',
    template: 'webmail-site.conf',
    values: { listen: frontDoor(ctx), host: webmailHost(ctx.domain), root: ROUNDCUBE_PUBLIC, socket: `${ctx.dir}/${WEBMAIL_SOCKET}`, uploadMax: `${WEBMAIL_UPLOAD_MB + 5}m` },
  };
}

/** The file space's server block (files.<domain> → SFTPGo's web client and API, /dav/ → its WebDAV), rendered with nginx.conf. */
export function filesSite(ctx: ServerContext): ConfigFile {
  return {
    path: 'web/files.conf',
    template: 'files-site.conf',
    values: { listen: frontDoor(ctx), filesHost: filesHost(ctx.domain), davPath: FILES.davPath, filesPort: ctx.ports.files, webdavPort: ctx.ports.webdav },
  };
}

const workerUser = (ctx: ServerContext) => (ctx.root ? `user ${WEB_USER} ${WEB_USER};` : '# (not root: the workers run as the user desa runs as)');

export const nginx: ServerSpec<'nginx'> = {
  name: 'nginx',
  service: 'site',
  title: 'nginx (sites)',
  purpose: 'the profile pages, OpenSID, webmail and the file space',
  install: { debian: ['nginx'] },
  requires: [
    { command: 'nginx', package: 'nginx' },
    { users: [WEB_USER], package: 'base-passwd' },
  ],
  version: { command: 'nginx', args: ['-v'], pattern: /nginx\/(\S+)/ },
  ports: ['https', 'http'],
  // It passes requests to the OpenSID pools, to webmail's and to SFTPGo: it stops first.
  uses: ['php-fpm', 'roundcube', 'sftpgo'],
  folders: () => ['web', 'web/run', 'web/log', 'web/tmp', 'web/sites', 'web/conf.d', 'web/opensid'].map((path) => ({ path, mode: 0o755 })),
  config: (ctx) => [
    {
      path: 'web/nginx.conf',
      template: 'nginx.conf',
      values: { dir: `${ctx.dir}/web`, httpPort: ctx.ports.http, httpsPort: ctx.ports.https, cert: `${ctx.dir}/${TLS_FILES.cert}`, key: `${ctx.dir}/${TLS_FILES.key}`, errorLog: `${ctx.dir}/log/nginx.log`, domainRe: ctx.domain.replaceAll('.', '\\.'), workerUser: workerUser(ctx) },
    },
    webmailSite(ctx),
    filesSite(ctx),
  ],
  launch: (ctx) => {
    const args = ['-p', `${ctx.dir}/web`, '-c', `${ctx.dir}/web/nginx.conf`, '-e', `${ctx.dir}/log/nginx.log`];
    return { argv: ['nginx', ...args], check: ['nginx', '-t', '-q', ...args] };
  },
  pidFile: 'web/run/nginx.pid',
  // nginx writes its own pid file once every listener is bound (it retries a busy one for 2 s).
  ready: (ctx) => [{ pidFile: 'web/run/nginx.pid' }, { tcp: ctx.ports.http }, { tcp: ctx.ports.https }],
  reload: { signal: 'SIGHUP' },
};
