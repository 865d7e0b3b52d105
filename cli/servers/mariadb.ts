// MariaDB 10.11 (Debian: mariadb-server): the OpenSID databases, on 127.0.0.1 and its unix socket. Its data
// folder is made once by mariadb-install-db (init); the admin is the system user desa runs as, through
// unix_socket authentication on the socket (no admin password anywhere). The sync (cli/services/)
// creates one database and one user per OpenSID desa. A config change needs a restart.
import type { ServerContext, ServerSpec } from './spec.ts';

/** The database account desa administers with: the system user it runs as (unix_socket authentication). */
export const mariadbAdmin = (ctx: { root: boolean; self: { user: string } }) => (ctx.root ? 'root' : ctx.self.user);

/** Its unix socket, relative to the services folder. */
export const MARIADB_SOCKET = 'db/run/mariadb.sock';

const owner = (ctx: ServerContext) => (ctx.root ? { owner: 'mysql:mysql' } : {});

export const mariadb: ServerSpec<'mariadb'> = {
  name: 'mariadb',
  service: 'site',
  title: 'MariaDB (OpenSID databases)',
  purpose: 'one database per OpenSID desa',
  install: { debian: ['mariadb-server'] },
  requires: [
    { command: 'mariadbd', package: 'mariadb-server' },
    { command: 'mariadb-install-db', package: 'mariadb-server' },
    { command: 'mariadb', package: 'mariadb-client' },
    { command: 'mariadb-dump', package: 'mariadb-client' },
    { users: ['mysql'], package: 'mariadb-server' },
  ],
  version: { command: 'mariadbd', args: ['--version'], pattern: /Ver (\d+\.\d+\.\d+)/ },
  ports: ['mariadb'],
  folders: (ctx) => [
    { path: 'db', mode: 0o755 },
    { path: 'db/run', mode: 0o755, ...owner(ctx) },
    { path: 'db/log', mode: 0o750, ...owner(ctx) },
    { path: 'db/no-files', mode: 0o700, ...owner(ctx) },
    { path: 'db/tmp', mode: 0o700, ...owner(ctx) },
  ],
  config: (ctx) => [
    {
      path: 'db/my.cnf',
      template: 'mariadb.cnf',
      values: { dir: `${ctx.dir}/db`, port: ctx.ports.mariadb, userLine: ctx.root ? 'user = mysql' : '# (not root: it runs as the user desa runs as)', bufferPool: '128M' },
    },
  ],
  init: {
    creates: 'db/data',
    run: async (ctx, tmp) => {
      const { run } = await import('../process.ts');
      const args = ['--no-defaults', `--datadir=${tmp}`, `--tmpdir=${ctx.dir}/db/tmp`, '--auth-root-authentication-method=socket', `--auth-root-socket-user=${mariadbAdmin(ctx)}`, '--skip-test-db', '--skip-name-resolve', '--innodb-log-file-size=32M'];
      await run('mariadb-install-db', ctx.root ? [...args, '--user=mysql'] : args, { what: 'creating the MariaDB data folder (mariadb-install-db)', timeout: 120_000 });
    },
  },
  launch: (ctx) => ({ argv: ['mariadbd', `--defaults-file=${ctx.dir}/db/my.cnf`] }),
  pidFile: 'db/run/mariadb.pid',
  ready: (ctx) => [{ tcp: ctx.ports.mariadb }],
  reload: { restart: true },
  logs: ['db/log/mariadb.log'],
};
