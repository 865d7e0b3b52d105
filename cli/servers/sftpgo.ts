// SFTPGo (github.com/drakkan/sftpgo/v2, built from the Go module proxy by toolchain/build.sh services):
// the desas' file space. Its web client (and web admin, and REST API) at files.<domain> and WebDAV under
// files.<domain>/dav/ (as in deploy mode), both in plain HTTP on loopback behind the local nginx, which serves them over HTTPS with
// the wildcard certificate (nginx.ts renders the server blocks). Its settings are sftpgo.json, rendered
// from typed values on every start; its users, groups, roles and desa admins are made through its REST
// API by the services sync (cli/services/files.ts). Its store is bolt (one file, no cgo); the desas'
// homes are folders under files/homes. The first admin (desa's own) is made by SFTPGo at its first start
// from the environment, with a password made once into secrets/ (0600) and never printed.
import { FILES, filesHost } from '../../core/contract.ts';
import type { ConfigFile, ServerContext, ServerSpec } from './spec.ts';
import { assembleStatic, staticFolder } from './sftpgo-static.ts';
import { TLS_FILES } from './tls-files.ts';

/** SFTPGo's admin desa administers it as (the REST API), and the secret holding its password. */
export const FILES_ADMIN = { username: 'desa', secret: 'sftpgo-admin-password' } as const;

/** The SFTPGo version toolchain/versions.env pins (its static folder is named after it). */
const SFTPGO_VERSION = 'v2.7.5';

/** Where SFTPGo keeps things, relative to the services folder. */
export const FILES_DIRS = { config: 'files', homes: 'files/homes', database: 'files/sftpgo.db', backups: 'files/backups' } as const;

/** The values of sftpgo.json: loopback listeners, the assets of the built piece, the bolt store, the homes. */
export function sftpgoSettings(ctx: ServerContext) {
  const share = (f: string) => ctx.built('sftpgo', `../share/${f}`);
  return {
    version: SFTPGO_VERSION,
    httpPort: ctx.ports.files,
    webdavPort: ctx.ports.webdav,
    davPath: FILES.davPath,
    title: `Berkas ${ctx.kabupaten}`,
    templates: share('templates'),
    // share/static with the vendor/ folder the Go module lacks (sftpgo-static.ts), assembled once (init).
    static: `${ctx.dir}/${FILES_DIRS.config}/${staticFolder(SFTPGO_VERSION)}`,
    openapi: share('openapi'),
    // SFTPGo loads its e-mail templates (no SMTP is configured) at start, from here, or fails.
    mailTemplates: share('templates'),
    database: `${ctx.dir}/${FILES_DIRS.database}`,
    homes: `${ctx.dir}/${FILES_DIRS.homes}`,
    backups: `${ctx.dir}/${FILES_DIRS.backups}`,
  };
}

export const sftpgo: ServerSpec<'sftpgo'> = {
  name: 'sftpgo',
  service: 'storage',
  title: 'SFTPGo (files)',
  purpose: 'each desa\'s file space: web client at files.<domain>, WebDAV at files.<domain>/dav/, through nginx',
  install: { build: 'sftpgo' },
  requires: [
    { built: true },
    { server: 'nginx', why: 'the file space is served over HTTPS by nginx' },
  ],
  ports: ['files', 'webdav'],
  secrets: [{ name: FILES_ADMIN.secret, bytes: 24 }],
  // Its homes hold the desas' files: 0700, SFTPGo's own (it runs as desa's user).
  folders: () => [
    { path: FILES_DIRS.config, mode: 0o700 },
    { path: FILES_DIRS.homes, mode: 0o700 },
    { path: FILES_DIRS.backups, mode: 0o700 },
  ],
  init: {
    creates: `${FILES_DIRS.config}/${staticFolder(SFTPGO_VERSION)}`,
    run: async (ctx, tmp) => assembleStatic(ctx.built('sftpgo', '../share/static'), tmp),
  },
  config: (ctx): ConfigFile[] => [{ path: `${FILES_DIRS.config}/sftpgo.json`, template: 'sftpgo.json', values: sftpgoSettings(ctx), mode: 0o600 }],
  launch: (ctx) => ({
    // An empty log file path: SFTPGo logs to stdout, which the supervisor keeps in log/sftpgo.log.
    argv: [ctx.built('sftpgo'), 'serve', '--config-dir', `${ctx.dir}/${FILES_DIRS.config}`, '--config-file', 'sftpgo.json', '--log-file-path', '', '--log-level', 'info'],
    // The first admin, made by SFTPGo when its store has none; the password reaches it only here.
    env: { SFTPGO_DEFAULT_ADMIN_USERNAME: FILES_ADMIN.username, SFTPGO_DEFAULT_ADMIN_PASSWORD: ctx.secret(FILES_ADMIN.secret) },
    cwd: FILES_DIRS.config,
  }),
  // Ready when its own health check answers, and answers through nginx at files.<domain> over HTTPS.
  ready: (ctx) => [
    { tcp: ctx.ports.webdav },
    { http: `http://127.0.0.1:${ctx.ports.files}/healthz` },
    { https: `https://127.0.0.1:${ctx.ports.https}/healthz`, host: filesHost(ctx.domain), trust: [TLS_FILES.cert, TLS_FILES.ca] },
  ],
  // It reads sftpgo.json only at start.
  reload: { restart: true },
};
