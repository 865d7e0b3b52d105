// What the local servers get for one OpenSID desa, as text: checked for what isolates one desa from
// another (its user, its folder, its socket) and what keeps upstream's own protections.
import { describe, expect, it } from 'vitest';
import type { OpensidSite } from './desired.ts';
import { accountSql, sqlName, sqlString } from './opensid-db.ts';
import { configPhp, databasePhp, poolConf, serverConf, siteLayout } from './opensid-files.ts';

const site: OpensidSite = {
  slug: 'lambangjaya',
  host: 'lambangjaya.desa.bekasikab.go.id',
  code: '3216062003',
  database: 'opensid_3216062003',
  username: 'opensid_3216062003',
  password: "pw'with\\quote",
  adminUsername: 'admin',
  adminPassword: 'Abcd-efgh-2345-wxyz',
  identity: { nama_desa: 'Lambangjaya', kode_desa: '3216062003', nama_kecamatan: 'Tambun Selatan', kode_kecamatan: '321606', nama_kabupaten: 'Bekasi', kode_kabupaten: '3216', nama_propinsi: 'Jawa Barat', kode_propinsi: '32' },
};
const l = siteLayout('/srv/desa/.desa/services', 'lambangjaya');

describe('one OpenSID desa on the local servers', () => {
  it('its pool runs as its own user, sees only its folder, and only the web server may open its socket', () => {
    const pool = poolConf(site, l);
    expect(pool).toMatch(/^\[lambangjaya\]$/m);
    expect(pool).toMatch(/^user = opensid_3216062003$/m);
    expect(pool).toMatch(/^group = opensid_3216062003$/m);
    expect(pool).toMatch(/^listen = \/srv\/desa\/\.desa\/services\/php\/run\/lambangjaya\.sock$/m);
    expect(pool).toMatch(/^listen\.owner = www-data$/m);
    expect(pool).toMatch(/^listen\.mode = 0600$/m);
    expect(pool).toMatch(/^php_admin_value\[open_basedir\] = \/srv\/desa\/\.desa\/services\/opensid\/sites\/lambangjaya\/$/m);
    expect(pool).toMatch(/^php_admin_value\[session\.save_path\] = \/srv\/desa\/\.desa\/services\/opensid\/sites\/lambangjaya\/tmp$/m);
    expect(pool).toMatch(/^pm = ondemand$/m);
  });

  it('its server block answers for its host only, runs PHP only through index.php, and denies what .htaccess denies', () => {
    const conf = serverConf(site, l, { http: 23805, https: 23808 });
    // Plain HTTP only redirects, permanently, to the same address over HTTPS: no PHP behind it.
    const [http, https] = conf.split(/^server \{$/m).slice(1);
    expect(http).toMatch(/^\s+listen 127\.0\.0\.1:23805;$/m);
    expect(http).toContain('return 301 https://$host:23808$request_uri;');
    expect(http).not.toContain('fastcgi_pass');
    // Served over HTTPS with the wildcard certificate nginx.conf names for every server block.
    expect(https).toMatch(/^\s+listen 127\.0\.0\.1:23808 ssl;$/m);
    expect(https).not.toMatch(/listen 127\.0\.0\.1:23805/);
    expect(conf).toMatch(/^\s+server_name lambangjaya\.desa\.bekasikab\.go\.id;$/m);
    expect(conf).toMatch(/^\s+root \/srv\/desa\/\.desa\/services\/opensid\/sites\/lambangjaya\/app;$/m);
    expect(conf).toContain('fastcgi_pass unix:/srv/desa/.desa/services/php/run/lambangjaya.sock;');
    expect(conf).toContain('fastcgi_param SCRIPT_FILENAME $document_root/index.php;');
    // OpenSID's links keep the port it is reached on (Debian's fastcgi_params passes the host alone).
    expect(conf.indexOf('fastcgi_param HTTP_HOST $host:$server_port;')).toBeGreaterThan(conf.indexOf('include /etc/nginx/fastcgi_params;'));
    expect(conf).toMatch(/desa\/\(config\|cache\|arsip\|app_key/);
    expect(conf).toMatch(/location ~\* \\\.\(php\|phtml\|php\\d\)\$ \{ return 404; \}/);
  });

  it('desa/config holds the code without dots and the desa\'s own database account, quoted as PHP strings', () => {
    expect(configPhp(site)).toContain("$config['kode_desa'] = '3216062003';");
    const db = databasePhp(site, 23820);
    expect(db).toContain("$db['default']['hostname'] = '127.0.0.1';");
    expect(db).toContain("$db['default']['port'] = 23820;");
    expect(db).toContain("$db['default']['username'] = 'opensid_3216062003';");
    expect(db).toContain("$db['default']['password'] = 'pw\\'with\\\\quote';");
    expect(db).toContain("$db['default']['database'] = 'opensid_3216062003';");
  });

  it('its database account may use its own database only, from 127.0.0.1 only; names are checked, strings quoted', () => {
    const sql = accountSql('opensid_3216062003', 'opensid_3216062003', "a'b");
    expect(sql).toContain("CREATE USER IF NOT EXISTS 'opensid_3216062003'@'127.0.0.1' IDENTIFIED BY 'a\\'b';");
    expect(sql).toContain("GRANT ALL PRIVILEGES ON `opensid_3216062003`.* TO 'opensid_3216062003'@'127.0.0.1';");
    expect(sql).not.toMatch(/ON \*\.\*/);
    expect(() => sqlName('opensid_1`; DROP DATABASE mysql; --')).toThrow(/not an OpenSID/);
    expect(sqlString('x\\')).toBe("'x\\\\'");
  });
});
