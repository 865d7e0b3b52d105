// nginx 1.22 (Debian: nginx): every desa's profile page over HTTPS (plain HTTP answers 301 to it), <slug>.<domain> → web/sites/<slug>/index.html,
// which the sync writes (adding or removing a site needs no reload), and each OpenSID desa's server block
// (web/opensid/<slug>.conf, to its PHP-FPM pool). SIGHUP re-reads nginx.conf and those blocks.
import type { ServerContext, ServerSpec } from './spec.ts';
import { TLS_FILES } from './tls-files.ts';

/**
 * The user nginx's workers run as when desa runs as root: Debian's web server user. An OpenSID desa's
 * folder is open to this group and to the desa's own user only, and each desa's PHP-FPM socket to this
 * user only.
 */
export const WEB_USER = 'www-data';

const workerUser = (ctx: ServerContext) => (ctx.root ? `user ${WEB_USER} ${WEB_USER};` : '# (not root: the workers run as the user desa runs as)');

export const nginx: ServerSpec<'nginx'> = {
  name: 'nginx',
  service: 'site',
  title: 'nginx (sites)',
  purpose: 'the profile pages and OpenSID',
  install: { debian: ['nginx'] },
  requires: [
    { command: 'nginx', package: 'nginx' },
    { users: [WEB_USER], package: 'base-passwd' },
  ],
  version: { command: 'nginx', args: ['-v'], pattern: /nginx\/(\S+)/ },
  ports: ['https', 'http'],
  // It passes requests to the OpenSID pools: it stops first.
  uses: ['php-fpm'],
  folders: () => ['web', 'web/run', 'web/log', 'web/tmp', 'web/sites', 'web/conf.d', 'web/opensid'].map((path) => ({ path, mode: 0o755 })),
  config: (ctx) => [
    {
      path: 'web/nginx.conf',
      template: 'nginx.conf',
      values: { dir: `${ctx.dir}/web`, httpPort: ctx.ports.http, httpsPort: ctx.ports.https, cert: `${ctx.dir}/${TLS_FILES.cert}`, key: `${ctx.dir}/${TLS_FILES.key}`, errorLog: `${ctx.dir}/log/nginx.log`, domainRe: ctx.domain.replaceAll('.', '\\.'), workerUser: workerUser(ctx) },
    },
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
