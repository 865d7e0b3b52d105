// The table of local servers as data: every spec renders its config from typed values (as root and not),
// the domain reaches every config that names it, the ports and packages come from one place, and the
// state file reads what services.sh left behind.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACME_PROFILE } from '../services/tls.ts';
import { describe, expect, it } from 'vitest';
import { dovecotQuota } from './dovecot.ts';
import { pebble } from './pebble.ts';
import { FILES_ADMIN, sftpgo } from './sftpgo.ts';
import { statusesOf } from './host.ts';
import { PORT_PLAN, parsePortBase, portsFrom } from './ports.ts';
import { render, renderTemplate } from './render.ts';
import type { ServerContext } from './spec.ts';
import { parseServicesEnv, readState } from './state.ts';
import { stopOrder } from './supervisor.ts';
import { debianPackages, SERVERS } from './table.ts';

const D = 'desa.bekasikab.go.id';

function context(domain: string, root: boolean): ServerContext {
  return {
    dir: '/srv/desa/.desa/services',
    ports: portsFrom(23800),
    domain,
    kabupaten: 'Kabupaten Bekasi',
    root,
    self: { user: 'budi', group: 'budi' },
    nobodyGroup: 'nogroup',
    secret: (name) => `secret-${name}`,
    built: (piece, binary) => `/cache/toolchain/${piece}/bin/${binary ?? piece}`,
    values: { defaultMailboxQuota: '1Gi' },
  };
}

/** Every config file of every server, rendered: path → text. */
const rendered = (ctx: ServerContext) => new Map(SERVERS.flatMap((s) => s.config(ctx).map((c) => [c.path, render(c.template, c.values)] as const)));

describe('local servers', () => {
  it('reads the ports services.sh remembers, S3_PORT included', async () => {
    const env = 'SMTP_PORT=25800\nSUBMISSION_PORT=25801\nIMAP_PORT=25802\nDNS_PORT=25803\nDNS_API_PORT=25804\nHTTP_PORT=25805\nS3_PORT=25806\nDOMAIN=desa.bekasikab.go.id\n';
    expect(parseServicesEnv(env)).toEqual({ ports: { smtp: 25800, submission: 25801, imap: 25802, dns: 25803, dnsApi: 25804, http: 25805, s3: 25806, dkim: 25807, https: 25808, imaps: 25809, acme: 25810, acmeManagement: 25811, files: 25812, webdav: 25813, mariadb: 25820 }, domain: D });
    expect(parseServicesEnv(`${env}DKIM_PORT=26000\n`)?.ports.dkim).toBe(26000);
    expect(parseServicesEnv(env.replace('S3_PORT=25806\n', ''))).toBeNull();
    expect(statusesOf(SERVERS, { pids: { dovecot: 12 }, unavailable: { postfix: 'postfix needs root' } })).toEqual([
      { name: 'dovecot', state: 'running', pid: 12, reason: null },
      { name: 'postfix', state: 'unavailable', pid: null, reason: 'postfix needs root' },
      { name: 'pdns', state: 'stopped', pid: null, reason: null },
      { name: 'nginx', state: 'stopped', pid: null, reason: null },
      { name: 'versitygw', state: 'stopped', pid: null, reason: null },
      { name: 'opendkim', state: 'stopped', pid: null, reason: null },
      { name: 'mariadb', state: 'stopped', pid: null, reason: null },
      { name: 'php-fpm', state: 'stopped', pid: null, reason: null },
      { name: 'roundcube', state: 'stopped', pid: null, reason: null },
      { name: 'pebble', state: 'stopped', pid: null, reason: null },
      { name: 'sftpgo', state: 'stopped', pid: null, reason: null },
    ]);
  });

  it('keeps the ports of a folder services.sh started, and adds none of its domain', () => {
    const dir = mkdtempSync(join(tmpdir(), 'servers-'));
    writeFileSync(join(dir, 'ports.env'), 'SMTP_PORT=25800\nSUBMISSION_PORT=25801\nIMAP_PORT=25802\nDNS_PORT=25803\nDNS_API_PORT=25804\nHTTP_PORT=25805\nS3_PORT=25806\nDOMAIN=lama.example\n');
    expect(readState(dir)).toEqual({ version: 1, base: 25800, ports: portsFrom(25800), pids: {}, applied: {} });
    mkdirSync(join(dir, 'new'));
    expect(readState(join(dir, 'new'))).toBeNull();
  });

  it('renders every config from typed values, as root and as a normal user, with no placeholder left', () => {
    for (const root of [true, false]) {
      for (const [path, text] of rendered(context(D, root))) {
        expect(text, path).not.toMatch(/\{\{|@[A-Z_]+@/);
      }
    }
    const asUser = rendered(context(D, false)).get('mail/dovecot.conf')!;
    expect(asUser).toContain('default_login_user = budi');
    expect(asUser).toContain('user = $default_internal_user');
    expect(rendered(context(D, true)).get('mail/dovecot.conf')).toContain('default_login_user = dovenull');
  });

  it('as root, the OpenSID servers drop privileges: MariaDB to mysql, the idle pool to nobody, nginx workers to www-data', () => {
    const asRoot = rendered(context(D, true));
    expect(asRoot.get('db/my.cnf')).toMatch(/^user = mysql$/m);
    expect(asRoot.get('db/my.cnf')).toMatch(/^bind-address = 127\.0\.0\.1$/m);
    expect(asRoot.get('db/my.cnf')).toMatch(/^port = 23820$/m);
    expect(asRoot.get('php/php-fpm.conf')).toMatch(/^\[desa-idle\]\nuser = nobody\ngroup = nogroup$/m);
    expect(asRoot.get('php/php-fpm.conf')).toContain('include = /srv/desa/.desa/services/php/pools/*.conf');
    expect(asRoot.get('web/nginx.conf')).toMatch(/^user www-data www-data;$/m);
    expect(asRoot.get('web/nginx.conf')).toContain('include /srv/desa/.desa/services/web/opensid/*.conf;');
    const asUser = rendered(context(D, false));
    expect(asUser.get('db/my.cnf')).not.toMatch(/^user\b/m);
    expect(asUser.get('php/php-fpm.conf')).not.toMatch(/^user\b/m);
    expect(asUser.get('web/nginx.conf')).not.toMatch(/^user\b/m);
  });

  it('a new domain changes the config of every server that names it', () => {
    const before = rendered(context(D, true));
    const after = rendered(context('desa.contoh.go.id', true));
    // nginx names it as a regular expression (dots escaped).
    const names = (text: string, domain: string) => text.includes(domain) || text.includes(domain.replaceAll('.', '\\.'));
    const naming = [...before].filter(([, text]) => names(text, D)).map(([path]) => path);
    expect(naming.sort()).toEqual(['mail/dovecot.conf', 'postfix/etc/main.cf', 'roundcube/config/config.inc.php', 'web/files.conf', 'web/nginx.conf', 'web/webmail.conf']);
    for (const path of naming) {
      expect(names(after.get(path)!, D), path).toBe(false);
      expect(after.get(path), path).not.toBe(before.get(path));
    }
    expect(after.get('postfix/etc/main.cf')).toContain('virtual_mailbox_domains = desa.contoh.go.id');
    expect(after.get('web/nginx.conf')).toContain('\\.desa\\.contoh\\.go\\.id$');
    expect(after.get('mail/dovecot.conf')).toContain('postmaster_address = postmaster@desa.contoh.go.id');
  });

  it('webmail: Roundcube at webmail.<domain> in Bahasa Indonesia, logging in to Dovecot and sending through submission, password plugin off', () => {
    const asRoot = rendered(context(D, true));
    const config = asRoot.get('roundcube/config/config.inc.php')!;
    expect(config).toContain("$config['imap_host'] = 'ssl://127.0.0.1:23809';");
    expect(config).toContain("$config['smtp_host'] = 'tls://127.0.0.1:23801';");
    expect(config).toContain("$config['smtp_user'] = '%u';");
    // Both over TLS, verified against the local CA for the mail host; PHP may read that file.
    expect(config).toContain("'cafile' => '/srv/desa/.desa/services/tls/local-ca.pem', 'peer_name' => 'mail.desa.bekasikab.go.id'");
    expect(config).toContain("$config['smtp_conn_options'] = $tls;");
    expect(config).toContain("$config['username_domain'] = 'desa.bekasikab.go.id';");
    expect(config).toContain("$config['language'] = 'id_ID';");
    expect(config).toContain("$config['skin'] = 'elastic';");
    expect(config).toContain("$config['product_name'] = 'Webmail Kabupaten Bekasi';");
    expect(config).toContain("$config['db_dsnw'] = 'sqlite:////srv/desa/.desa/services/roundcube/db/roundcube.sqlite?mode=0600';");
    expect(config).toMatch(/^\$config\['plugins'\] = \[\];$/m);
    // The key is in the pool's environment (a root-only file), never in the config PHP reads.
    expect(config).not.toContain('secret-roundcube-des-key');
    const pool = SERVERS.find((s) => s.name === 'roundcube')!.config(context(D, true)).find((c) => c.path === 'roundcube/php-fpm.conf')!;
    expect(pool.mode).toBe(0o600);
    const fpm = asRoot.get('roundcube/php-fpm.conf')!;
    expect(fpm).toContain('env[DESA_ROUNDCUBE_DES_KEY] = secret-roundcube-des-key');
    expect(fpm).toContain('env[ROUNDCUBE_CONFIG_DIR] = /srv/desa/.desa/services/roundcube/config');
    expect(fpm).toMatch(/^user = desa-webmail\ngroup = desa-webmail$/m);
    expect(fpm).toMatch(/^listen\.owner = www-data$/m);
    expect(rendered(context(D, false)).get('roundcube/php-fpm.conf')).not.toMatch(/^(user|listen\.owner) =/m);
    // nginx serves it at webmail.<domain>, to that pool's socket, on the HTTPS port.
    const site = asRoot.get('web/webmail.conf')!;
    expect(site).toMatch(/^ {4}listen 127\.0\.0\.1:23808 ssl;$/m);
    expect(site).toContain('server_name webmail.desa.bekasikab.go.id;');
    expect(site).toContain('fastcgi_pass unix:/srv/desa/.desa/services/roundcube/run/fpm.sock;');
    expect(asRoot.get('web/nginx.conf')).toContain('include /srv/desa/.desa/services/web/webmail.conf;');
    // A quote in the Kabupaten's name cannot end the PHP string.
    const odd = SERVERS.find((s) => s.name === 'roundcube')!.config({ ...context(D, true), kabupaten: "Kota O'Neil \\" })[0]!;
    expect(render(odd.template, odd.values)).toContain("$config['product_name'] = 'Webmail Kota O\\'Neil \\\\';");
  });

  it('every front door serves the wildcard certificate: HTTPS with a redirect, IMAPS, STARTTLS before AUTH (issue 13)', () => {
    const r = rendered(context(D, true));
    const dir = '/srv/desa/.desa/services';
    const nginx = r.get('web/nginx.conf')!;
    expect(nginx).toContain(`ssl_certificate ${dir}/tls/site.pem;`);
    expect(nginx).toContain(`ssl_certificate_key ${dir}/tls/site.key;`);
    // The sites on the HTTPS port; a desa's name over plain HTTP answers 301 to the HTTPS port.
    expect(nginx).toMatch(/listen 127\.0\.0\.1:23808 ssl;\n\s+server_name "~\^\(\?<desa>/);
    expect(nginx).toMatch(/listen 127\.0\.0\.1:23805;\n\s+server_name "~\^\[a-z0-9\]\+\(-\[a-z0-9\]\+\)\*\\\.desa\\\.bekasikab\\\.go\\\.id\$";\n\s+return 301 https:\/\/\$host:23808\$request_uri;/);
    const dovecot = r.get('mail/dovecot.conf')!;
    expect(dovecot).toMatch(/^ssl = required$/m);
    expect(dovecot).toMatch(/^disable_plaintext_auth = yes$/m);
    expect(dovecot).toContain(`ssl_key = <${dir}/tls/site.key`);
    expect(dovecot).toMatch(/inet_listener imaps \{\n\s+address = 127\.0\.0\.1\n\s+port = 23809\n\s+ssl = yes/);
    const master = r.get('postfix/etc/master.cf')!;
    const submission = master.slice(master.indexOf('127.0.0.1:23801'), master.indexOf('pickup'));
    expect(submission).toContain('-o smtpd_tls_security_level=encrypt');
    expect(submission).toContain('-o smtpd_tls_auth_only=yes');
    // The MX port keeps taking mail from servers without TLS: offered, not required.
    expect(r.get('postfix/etc/main.cf')).toMatch(/^smtpd_tls_security_level = may$/m);
    expect(r.get('postfix/etc/main.cf')).toContain(`smtpd_tls_chain_files = ${dir}/tls/site.key, ${dir}/tls/site.pem`);
    // Pebble: its directory and management API on loopback, resolving the challenges in PowerDNS.
    const pebbleConf = JSON.parse(r.get('tls/pebble.json')!) as { pebble: Record<string, unknown> };
    expect(pebbleConf.pebble).toMatchObject({ listenAddress: '127.0.0.1:23810', managementListenAddress: '127.0.0.1:23811' });
    expect(pebble.launch(context(D, true)).argv.slice(-2)).toEqual(['-dnsserver', '127.0.0.1:23803']);
    // desa's orders name the profile (given none, Pebble picks one at random): 90 days, as Let's Encrypt's.
    const profiles = pebbleConf.pebble.profiles as Record<string, { validityPeriod: number }>;
    expect(profiles[ACME_PROFILE]?.validityPeriod).toBe(90 * 24 * 3600);
  });

  it('files: SFTPGo on loopback only (web client and API, WebDAV), SFTP and FTP off, its assets from the built piece, bolt; nginx serves files.<domain> and its WebDAV under /dav over HTTPS (issue 13)', () => {
    const ctx = context(D, false);
    const conf = JSON.parse(rendered(ctx).get('files/sftpgo.json')!) as Record<string, any>;
    expect(conf.httpd.bindings).toEqual([expect.objectContaining({ port: 23812, address: '127.0.0.1', enable_web_client: true, enable_rest_api: true, proxy_allowed: ['127.0.0.1'] })]);
    expect(conf.webdavd.bindings).toEqual([expect.objectContaining({ port: 23813, address: '127.0.0.1' })]);
    expect(conf.sftpd.bindings).toEqual([{ port: 0 }]);
    expect(conf.ftpd.bindings).toEqual([{ port: 0 }]);
    expect(conf.telemetry.bind_port).toBe(0);
    expect(conf.data_provider).toMatchObject({ driver: 'bolt', name: `${ctx.dir}/files/sftpgo.db`, users_base_dir: `${ctx.dir}/files/homes`, create_default_admin: true, track_quota: 1 });
    for (const k of ['templates_path', 'openapi_path']) expect(conf.httpd[k]).toBe(`/cache/toolchain/sftpgo/bin/../share/${k.replace(/_path$/, '')}`);
    // share/static with the vendor/ folder the Go module lacks, assembled once before the first start.
    expect(conf.httpd.static_files_path).toBe(`${ctx.dir}/${sftpgo.init!.creates}`);
    expect(sftpgo.init!.creates).toMatch(/^files\/static-v2\.7\.5-[0-9a-f]{12}$/);
    // The first admin's password reaches SFTPGo only through the environment, never its config file.
    const launch = sftpgo.launch(ctx);
    expect(launch.env).toEqual({ SFTPGO_DEFAULT_ADMIN_USERNAME: FILES_ADMIN.username, SFTPGO_DEFAULT_ADMIN_PASSWORD: `secret-${FILES_ADMIN.secret}` });
    expect(rendered(ctx).get('files/sftpgo.json')).not.toContain(`secret-${FILES_ADMIN.secret}`);
    expect(launch.argv.join(' ')).not.toContain('secret-');
    expect(sftpgo.config(ctx)[0]!.mode).toBe(0o600);
    const files = rendered(ctx).get('web/files.conf')!;
    expect(files).toMatch(/listen 127\.0\.0\.1:23808 ssl;\n\s+server_name files\.desa\.bekasikab\.go\.id;/);
    expect(files).toMatch(/location \/dav \{\n\s+proxy_pass http:\/\/127\.0\.0\.1:23813;/);
    expect(files).toMatch(/location \/ \{\n\s+proxy_pass http:\/\/127\.0\.0\.1:23812;/);
    expect(conf.webdavd.bindings[0].prefix).toBe('/dav');
    expect(files).toContain('proxy_set_header X-Forwarded-Proto https;');
    expect(rendered(ctx).get('web/nginx.conf')).toContain(`include ${ctx.dir}/web/files.conf;`);
    // Ready when it answers through nginx at files.<domain>, the certificate checked.
    expect(sftpgo.ready(ctx)).toContainEqual(expect.objectContaining({ https: 'https://127.0.0.1:23808/healthz', host: 'files.desa.bekasikab.go.id' }));
  });

  it("renders Dovecot's default quota from the inventory's fallback, in Dovecot's units", () => {
    expect(rendered(context(D, true)).get('mail/dovecot.conf')).toContain('quota_rule = *:storage=1G');
    expect(['2Gi', '512Mi', '4096'].map(dovecotQuota)).toEqual(['2G', '512M', '4096']);
  });

  it('a template refuses a value it has no place for, and a placeholder without a value', () => {
    expect(renderTemplate('port {{port}}\n', { port: 25 })).toBe('port 25\n');
    expect(() => renderTemplate('port {{port}}\n', {})).toThrow(/no value for \{\{port\}\}/);
    expect(() => renderTemplate('port 25\n', { port: 25 })).toThrow(/no placeholder for port/);
  });

  it('one port plan: each port once, all from the base; the base is checked', () => {
    expect(new Set(Object.values(PORT_PLAN)).size).toBe(Object.keys(PORT_PLAN).length);
    expect(portsFrom(23800)).toMatchObject({ smtp: 23800, imap: 23802, dkim: 23807 });
    expect(portsFrom(23800, { dkim: 26000 }).dkim).toBe(26000);
    expect(parsePortBase(undefined)).toBe(23800);
    expect(() => parsePortBase('80')).toThrow(/from 1024/);
    const used = SERVERS.flatMap((s) => s.ports);
    expect(new Set(used)).toEqual(new Set(Object.keys(PORT_PLAN)));
  });

  it('one package list, for the bootstrap and doctor', () => {
    expect(debianPackages().sort()).toEqual([
      'dovecot-core', 'dovecot-imapd', 'dovecot-lmtpd', 'mariadb-server', 'nginx', 'opendkim', 'pdns-backend-sqlite3', 'pdns-server',
      'php8.2-curl', 'php8.2-fpm', 'php8.2-gd', 'php8.2-intl', 'php8.2-mbstring', 'php8.2-mysql', 'php8.2-tidy', 'php8.2-xml', 'php8.2-zip',
      'postfix', 'roundcube-core', 'roundcube-sqlite3', 'sqlite3',
    ]);
  });

  it('stops a server before the servers it uses', () => {
    const order = stopOrder(SERVERS).map((round) => round.map((s) => s.name));
    const at = (name: string) => order.findIndex((round) => round.includes(name));
    expect(at('postfix')).toBeLessThan(at('dovecot'));
    expect(at('postfix')).toBeLessThan(at('opendkim'));
    // nginx passes requests to PHP-FPM, which talks to MariaDB; and to webmail, which talks to Dovecot and Postfix.
    expect(at('nginx')).toBeLessThan(at('php-fpm'));
    expect(at('nginx')).toBeLessThan(at('roundcube'));
    expect(at('roundcube')).toBeLessThan(at('postfix'));
    expect(at('php-fpm')).toBeLessThan(at('mariadb'));
    // Pebble resolves its challenges in PowerDNS.
    expect(at('pebble')).toBeLessThan(at('pdns'));
    expect(order.flat().sort()).toEqual(SERVERS.map((s) => s.name).sort());
  });
});
