// What the local servers need for one OpenSID desa, as text: its folder's layout, its PHP-FPM pool, its
// nginx server block and the two files OpenSID reads from desa/config. Pure: paths and values in, text
// out (cli/services/opensid.ts writes them).
import { join } from 'node:path';
import { WEB_USER } from '../servers/web.ts';
import { render } from '../servers/render.ts';
import type { OpensidSite } from './desired.ts';

/** Where one desa's OpenSID lives under the services folder. */
export interface SiteLayout {
  /** sites/<slug>: the desa's own folder, open to its user and the web server's group only (0750). */
  root: string;
  /** root/app: the release, with the desa's writable folders. */
  app: string;
  /** root/tmp: sessions, uploads in progress (0700, the desa's user). */
  tmp: string;
  /** root/log: its PHP errors (0750, the desa's user). */
  log: string;
  /** php/run/<slug>.sock: its pool's socket. */
  socket: string;
  /** php/pools/<slug>.conf and web/opensid/<slug>.conf, relative to the services folder. */
  pool: string;
  server: string;
  /** opensid/state/<slug>.json (0600): what the sync last applied. */
  state: string;
  /** opensid/kept/<slug>: the database dumps kept after offboarding. */
  kept: string;
}

export function siteLayout(dir: string, slug: string): SiteLayout {
  const root = join(dir, 'opensid', 'sites', slug);
  return {
    root,
    app: join(root, 'app'),
    tmp: join(root, 'tmp'),
    log: join(root, 'log'),
    socket: join(dir, 'php', 'run', `${slug}.sock`),
    pool: join('php', 'pools', `${slug}.conf`),
    server: join('web', 'opensid', `${slug}.conf`),
    state: join(dir, 'opensid', 'state', `${slug}.json`),
    kept: join(dir, 'opensid', 'kept', slug),
  };
}

/**
 * The folders of the release a desa writes to (installer.php's `lainnya`, and desa/ itself): copied, not
 * linked, and owned by the desa's user. Everything else is the release, hard-linked and read-only.
 */
export const WRITABLE = ['desa', 'storage', 'backup_inkremental', 'assets/kelola_file/config'] as const;

/** PHP processes one desa may run at once (its pool's pm.max_children). */
export const MAX_CHILDREN = 4;

export function poolConf(site: OpensidSite, l: SiteLayout): string {
  return render('opensid-pool.conf', { pool: site.slug, host: site.host, user: site.username, socket: l.socket, webUser: WEB_USER, root: l.root, app: l.app, maxChildren: MAX_CHILDREN });
}

export function serverConf(site: OpensidSite, l: SiteLayout, ports: { http: number; https: number }): string {
  return render('opensid-site.conf', { httpPort: ports.http, httpsPort: ports.https, host: site.host, app: l.app, socket: l.socket });
}

/** A PHP single-quoted string literal (the values are ours, but quote them properly all the same). */
export const phpString = (v: string) => `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/** desa/config/config.php: the desa's code without dots (OpenSID's kode_desa). */
export function configPhp(site: OpensidSite): string {
  return [
    '<?php',
    '// Written by desa (cli/services/opensid-files.ts) when it provisioned this desa; OpenSID reads it on every request.',
    `$config['kode_desa'] = ${phpString(site.code)};`,
    "$config['user_admin'] = 0;",
    // nginx already serves this folder for the desa's host only (its server_name).
    "$config['trusted_hosts'] = [];",
    '',
  ].join('\n');
}

/**
 * desa/config/database.php: the desa's own database account on MariaDB over 127.0.0.1 (OpenSID's two
 * database layers both take host and port). OpenSID may encrypt the password in place afterwards.
 */
export function databasePhp(site: OpensidSite, port: number): string {
  const db = (k: string, v: string) => `$db['default'][${phpString(k)}] = ${v};`;
  return [
    '<?php',
    '// Written by desa (cli/services/opensid-files.ts): this desa\'s own database and account, and no other.',
    db('hostname', phpString('127.0.0.1')),
    db('port', String(port)),
    db('username', phpString(site.username)),
    db('password', phpString(site.password)),
    db('database', phpString(site.database)),
    db('dbcollat', phpString('utf8_general_ci')),
    db('stricton', 'true'),
    '',
  ].join('\n');
}
