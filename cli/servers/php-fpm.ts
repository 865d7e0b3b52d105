// PHP-FPM 8.2 (Debian: php8.2-fpm and the extensions OpenSID lists): one master, one pool per OpenSID
// desa. Each pool runs as the desa's own system user (opensid_<code>), with open_basedir on the desa's
// folder and a socket only the web server may open; the sync writes the pools (php/pools/<slug>.conf)
// and SIGUSR2 makes the master re-read them. Running pools as other users needs root.
import type { ServerSpec } from './spec.ts';

/** The PHP version whose packages the pools run on (Debian bookworm's). */
export const PHP_VERSION = '8.2';

/** The extensions OpenSID checks for (app/Libraries/Sistem.php), by the package and module file that brings them. */
export const PHP_EXTENSIONS: readonly { package: string; module: string }[] = [
  { package: 'php8.2-curl', module: 'curl' },
  { package: 'php8.2-gd', module: 'gd' },
  { package: 'php8.2-mbstring', module: 'mbstring' },
  { package: 'php8.2-mysql', module: 'mysqli' },
  { package: 'php8.2-tidy', module: 'tidy' },
  { package: 'php8.2-zip', module: 'zip' },
  { package: 'php8.2-xml', module: 'xml' },
  { package: 'php8.2-intl', module: 'intl' },
];

export const phpFpm: ServerSpec<'php-fpm'> = {
  name: 'php-fpm',
  service: 'site',
  title: 'PHP-FPM (OpenSID)',
  purpose: 'OpenSID, one pool and system user per desa; needs root',
  install: { debian: ['php8.2-fpm', ...PHP_EXTENSIONS.map((e) => e.package)] },
  requires: [
    { command: 'php-fpm8.2', package: 'php8.2-fpm' },
    { command: 'php', package: 'php8.2-cli' },
    ...PHP_EXTENSIONS.map((e) => ({ file: `/etc/php/${PHP_VERSION}/mods-available/${e.module}.ini`, package: e.package })),
    { root: true, why: 'php-fpm runs each desa as its own system user, which needs root' },
    { command: 'useradd', package: 'passwd' },
    { server: 'mariadb', why: 'php-fpm serves OpenSID, which needs mariadb' },
  ],
  version: { command: 'php-fpm8.2', args: ['--version'], pattern: /PHP (\d+\.\d+\.\d+)/ },
  ports: [],
  uses: ['mariadb'],
  folders: () => [
    { path: 'php', mode: 0o755 },
    { path: 'php/run', mode: 0o755 },
    { path: 'php/pools', mode: 0o755 },
  ],
  config: (ctx) => [
    {
      path: 'php/php-fpm.conf',
      template: 'php-fpm.conf',
      values: { dir: `${ctx.dir}/php`, errorLog: `${ctx.dir}/log/php-fpm.log`, idleUser: ctx.root ? 'user = nobody' : '; (not root: every pool runs as the user desa runs as)', idleGroup: ctx.root ? `group = ${ctx.nobodyGroup}` : '' },
    },
  ],
  launch: (ctx) => {
    const conf = `${ctx.dir}/php/php-fpm.conf`;
    // One opcode cache serves every pool: a cached script is only served to a pool whose user may read it.
    const ini = ['-d', 'opcache.validate_permission=1'];
    return { argv: ['php-fpm8.2', '--nodaemonize', '--fpm-config', conf, ...ini], check: ['php-fpm8.2', '--test', '--fpm-config', conf, ...ini] };
  },
  pidFile: 'php/run/php-fpm.pid',
  ready: () => [{ pidFile: 'php/run/php-fpm.pid' }],
  reload: { signal: 'SIGUSR2' },
};
