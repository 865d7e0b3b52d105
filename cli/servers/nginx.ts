// nginx 1.22 (Debian: nginx): every desa's profile page, <slug>.<domain> → web/sites/<slug>/index.html,
// which the sync writes (adding or removing a site needs no reload). SIGHUP re-reads nginx.conf.
import type { ServerSpec } from './spec.ts';

export const nginx: ServerSpec<'nginx'> = {
  name: 'nginx',
  service: 'site',
  title: 'nginx (sites)',
  purpose: 'the profile pages',
  install: { debian: ['nginx'] },
  requires: [{ command: 'nginx', package: 'nginx' }],
  version: { command: 'nginx', args: ['-v'], pattern: /nginx\/(\S+)/ },
  ports: ['http'],
  folders: () => ['web', 'web/run', 'web/log', 'web/tmp', 'web/sites', 'web/conf.d'].map((path) => ({ path, mode: 0o755 })),
  config: (ctx) => [
    {
      path: 'web/nginx.conf',
      template: 'nginx.conf',
      values: { dir: `${ctx.dir}/web`, httpPort: ctx.ports.http, errorLog: `${ctx.dir}/log/nginx.log`, domainRe: ctx.domain.replaceAll('.', '\\.') },
    },
  ],
  launch: (ctx) => {
    const args = ['-p', `${ctx.dir}/web`, '-c', `${ctx.dir}/web/nginx.conf`, '-e', `${ctx.dir}/log/nginx.log`];
    return { argv: ['nginx', ...args], check: ['nginx', '-t', '-q', ...args] };
  },
  pidFile: 'web/run/nginx.pid',
  // nginx writes its own pid file once every listener is bound (it retries a busy one for 2 s).
  ready: (ctx) => [{ pidFile: 'web/run/nginx.pid' }, { tcp: ctx.ports.http }],
  reload: { signal: 'SIGHUP' },
};
