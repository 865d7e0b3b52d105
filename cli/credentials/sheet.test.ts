import { describe, expect, it } from 'vitest';
import { SETIA_ASIH, SUMBERJAYA, text } from '../../test/fixtures/credentials.ts';
import { isInternalEndpoint, renderCredentialSheet, type SheetData } from './sheet.ts';
import { formatMoment, formatQuota, officeName, roleLabel, zoneOf } from './sheet-text.ts';
import { randomPassword } from '../../stacks/secrets.ts';

const AT = new Date('2024-04-09T07:05:00Z'); // 14.05 WIB

/** The inner HTML of every element with this opening tag, in order (no nesting of the same tag). */
function blocks(html: string, open: RegExp, tag: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(new RegExp(`${open.source}([\\s\\S]*?)</${tag}>`, 'g'))) out.push(m[1]!);
  return out;
}
const section = (html: string, id: string) => blocks(html, new RegExp(`<section id="${id}">`), 'section')[0] ?? '';
const secrets = (html: string) => [...html.matchAll(/<span class="secret">((?:<span>.*?<\/span>)+)<\/span>/g)].map((m) => text(m[1]!));

describe('renderCredentialSheet', () => {
  const html = renderCredentialSheet(SUMBERJAYA, { generatedAt: AT });

  it('is headed with the desa, its kecamatan, code and Kabupaten, and the moment in WIB', () => {
    expect(html).toContain('<title>Lembar Akun Layanan Digital Desa Sumberjaya</title>');
    expect(html).toContain('<html lang="id">');
    const header = text(blocks(html, /<header>/, 'header')[0]!);
    expect(header).toContain('Lembar Akun Layanan Digital Desa Sumberjaya');
    expect(header).toContain('Kecamatan Tambun Selatan · Kode wilayah 32.16.06.2005 · Kabupaten Bekasi');
    expect(header).toContain('Dibuat 9 April 2024 pukul 14.05 WIB oleh Diskominfosantik Kabupaten Bekasi');
    expect(text(html)).toContain('RAHASIA');
  });

  it('puts each password once, in the box of its own mailbox, and the secret key once, in storage', () => {
    const accounts = blocks(section(html, 'surel'), /<article class="account">/, 'article');
    expect(accounts).toHaveLength(3);
    SUMBERJAYA.mail!.mailboxes.forEach((b, i) => {
      expect(text(accounts[i]!)).toContain(b.address);
      expect(secrets(accounts[i]!)).toEqual([b.password]);
    });
    expect(text(accounts[0]!)).toContain('Kepala Desa');
    expect(text(accounts[1]!)).toContain('Sekretaris Desa');
    expect(text(accounts[2]!)).toContain('Operator');
    expect(secrets(section(html, 'penyimpanan'))).toEqual([SUMBERJAYA.storage!.secretAccessKey]);
    // Nowhere else: every secret on the page is one of these, each exactly once.
    const all = [...SUMBERJAYA.mail!.mailboxes.map((b) => b.password), SUMBERJAYA.storage!.secretAccessKey];
    expect(secrets(html)).toEqual(all);
    for (const s of all) expect(text(html).split(s)).toHaveLength(2);
  });

  it('names the file space: its address, login and password, the drive to map in Windows Explorer, the desa admin; Bahasa Indonesia first (issue 13)', () => {
    const files = { url: 'https://files.desa.bekasikab.go.id/', dav: 'https://files.desa.bekasikab.go.id/dav/', login: 'sumberjaya', password: randomPassword(), adminLogin: 'sumberjaya-admin', adminPassword: randomPassword(), quota: '20Gi' };
    const withFiles = renderCredentialSheet({ ...SUMBERJAYA, files }, { generatedAt: AT });
    const b = section(withFiles, 'berkas');
    expect(text(b)).toMatch(/^Berkas desa/);
    expect(text(b)).toMatch(/Alamat \(peramban\)\s*https:\/\/files\.desa\.bekasikab\.go\.id\//);
    expect(text(b)).toMatch(/Nama pengguna\s*sumberjaya(?!-)/);
    expect(text(b)).toContain('Map network drive');
    expect(text(b)).toContain('isi Folder dengan https://files.desa.bekasikab.go.id/dav/');
    expect(text(b)).toMatch(/Nama pengguna\s*sumberjaya-admin/);
    expect(text(b)).toContain('https://files.desa.bekasikab.go.id/web/admin');
    expect(secrets(b)).toEqual([files.password, files.adminPassword]);
    // Each once on the page, and the sheet without a file space (an older stack) has no such section.
    for (const s of [files.password, files.adminPassword]) expect(text(withFiles).split(s)).toHaveLength(2);
    expect(section(html, 'berkas')).toBe('');
    const en = section(renderCredentialSheet({ ...SUMBERJAYA, files }, { generatedAt: AT, lang: 'en' }), 'berkas');
    expect(text(en)).toMatch(/^Desa files/);
    expect(text(en)).toContain('Map network drive');
  });

  it('groups a secret by 4 with spacing that is not text, and sets its digits in bold', () => {
    expect(html).toContain('<span class="secret"><span>Kd<b>0</b>O</span><span><b>1</b>lI-</span><span>_aaa</span><span>a<b>222</b></span>');
  });

  it('names webmail, its address and login (the full address or <slug>.<role>), in Bahasa Indonesia first, before the mail app settings', () => {
    const settings = section(html, 'pengaturan-surel');
    const w = text(/<p id="webmail">([\s\S]*?)<\/p>/.exec(settings)?.[1] ?? '');
    expect(w).toBe(
      'Webmail https://webmail.desa.bekasikab.go.id/ dibuka di peramban (komputer atau ponsel), tanpa memasang aplikasi. Masuk dengan alamat surel lengkap atau cukup sumberjaya.kepala-desa dan kata sandi kotak surat itu.',
    );
    expect(text(settings)).toMatch(/^Membuka surel: webmail atau aplikasi surel/);
    expect(settings.indexOf('id="webmail"')).toBeLessThan(settings.indexOf('<table'));
    const en = renderCredentialSheet(SUMBERJAYA, { generatedAt: AT, lang: 'en' });
    expect(text(section(en, 'pengaturan-surel'))).toContain("Webmail https://webmail.desa.bekasikab.go.id/ opens in a browser (computer or phone), nothing to install. Log in with the full address or just sumberjaya.kepala-desa and that mailbox's password.");
    // A unit without mailboxes has no webmail either.
    expect(renderCredentialSheet(SETIA_ASIH, { generatedAt: AT })).not.toContain('webmail');
  });

  it('gives the mail settings: IMAP 993 SSL/TLS, SMTP 465 SSL/TLS or 587 STARTTLS, the full address as user name', () => {
    const s = text(section(html, 'pengaturan-surel'));
    expect(s).toMatch(/Surel masuk \(IMAP\)mail\.desa\.bekasikab\.go\.id993SSL\/TLS/);
    expect(s).toMatch(/Surel keluar \(SMTP\)mail\.desa\.bekasikab\.go\.id465SSL\/TLS/);
    expect(s).toMatch(/bila port 465 tertutupmail\.desa\.bekasikab\.go\.id587STARTTLS/);
    expect(s).toContain('Nama pengguna: alamat surel lengkap, misalnya sumberjaya.kepala-desa@desa.bekasikab.go.id');
  });

  it('gives the storage endpoint, bucket and keys with how to connect, and the site', () => {
    const s = text(section(html, 'penyimpanan'));
    for (const v of ['https://s3.bekasikab.go.id', 'Access Key ID)desa-sumberjaya', 'Cyberduck', 'WinSCP', 'rclone', 'lalu buka ruang desa-sumberjaya.']) expect(s).toContain(v);
    expect(s).not.toContain('dalam klaster');
    expect(text(section(html, 'situs'))).toBe('Situs webAlamathttps://sumberjaya.desa.bekasikab.go.id/JenisHalaman profil');
  });

  it('ends with the safety rules and a handover box to sign', () => {
    const rules = text(section(html, 'keamanan'));
    for (const v of ['tempat terkunci', 'WhatsApp', 'desa rotate', 'musnahkan lembar ini']) expect(rules).toContain(v);
    const handover = text(section(html, 'serah-terima'));
    expect(handover).toMatch(/^Serah terimaDiserahkan oleh.*NamaJabatanTanda tanganTanggalDiterima olehDesa Sumberjaya, Kecamatan Tambun SelatanNamaJabatanTanda tanganTanggal$/);
  });

  it('gives each mailbox its quota and the storage its capacity', () => {
    const accounts = blocks(section(html, 'surel'), /<article class="account">/, 'article');
    expect(text(accounts[0]!)).toContain('Kepala Desa · kotak surat 2 GiB');
    expect(text(accounts[2]!)).toContain('Operator · kotak surat 5 GiB');
    expect(text(section(html, 'penyimpanan'))).toContain('Kapasitas20 GiB');
    const en = renderCredentialSheet(SUMBERJAYA, { generatedAt: AT, lang: 'en' });
    expect(text(en)).toContain('Village head (Kepala Desa) · mailbox 2 GiB');
    expect(text(section(en, 'penyimpanan'))).toContain('Capacity20 GiB');
  });

  it('names the storage in plain words, the S3 terms in brackets', () => {
    const s = text(section(html, 'penyimpanan'));
    for (const v of ['Alamat serverhttps://s3.bekasikab.go.id', 'Nama ruang (bucket)desa-sumberjaya', 'Nama pengguna (Access Key ID)desa-sumberjaya', 'Kata sandi (Secret Access Key)']) expect(s).toContain(v);
    expect(s).toContain('berbeda dari akun surel');
  });

  it('says plainly that a loopback storage address is a local test address, and shows a configured one as it is', () => {
    const local = renderCredentialSheet({ ...SUMBERJAYA, storage: { ...SUMBERJAYA.storage!, endpoint: 'http://127.0.0.1:23806' } }, { generatedAt: AT });
    const s = text(section(local, 'penyimpanan'));
    expect(s).toContain('http://127.0.0.1:23806');
    expect(s).toContain('Ini alamat uji lokal');
    expect(s).not.toContain('dalam klaster');
    expect(text(section(html, 'penyimpanan'))).not.toMatch(/uji lokal|dalam klaster/);
    const en = renderCredentialSheet({ ...SUMBERJAYA, storage: { ...SUMBERJAYA.storage!, endpoint: 'http://localhost:9000' } }, { generatedAt: AT, lang: 'en' });
    expect(text(section(en, 'penyimpanan'))).toContain('This is a local test address');
  });

  it('explains the password alphabet when every password uses it, and the old look-alike rule otherwise', () => {
    expect(text(html)).toContain('0 (nol) dan 1 (satu) tidak tertukar');
    const fresh: SheetData = { ...SUMBERJAYA, mail: { ...SUMBERJAYA.mail!, mailboxes: SUMBERJAYA.mail!.mailboxes.map((b) => ({ ...b, password: randomPassword() })) }, storage: { ...SUMBERJAYA.storage!, secretAccessKey: randomPassword() } };
    const t = text(renderCredentialSheet(fresh, { generatedAt: AT }));
    expect(t).toContain('Kata sandi hanya berisi huruf kecil dan angka 2–9');
    expect(t).not.toContain('huruf besar dan kecil berbeda');
  });

  it('says the in-cluster storage endpoint of a local cluster cannot be reached from an office', () => {
    const local = renderCredentialSheet({ ...SUMBERJAYA, storage: { ...SUMBERJAYA.storage!, endpoint: 'http://storage.desa-platform.svc.cluster.local:9000' } }, { generatedAt: AT });
    expect(text(section(local, 'penyimpanan'))).toContain('hanya dapat dijangkau dari dalam klaster');
  });

  it('a desa on OpenSID: its administrator login under the site, the password once, as typed, hyphens kept', () => {
    const admin = { url: 'https://sumberjaya.desa.bekasikab.go.id/index.php/siteman', username: 'admin', password: 'Abcd-efgh-2345-wxyz' };
    const sid = renderCredentialSheet({ ...SUMBERJAYA, site: { url: 'https://sumberjaya.desa.bekasikab.go.id/', template: 'opensid' }, opensid: admin }, { generatedAt: AT });
    const site = text(section(sid, 'situs'));
    expect(site).toContain('Administrator OpenSID');
    expect(site).toContain('https://sumberjaya.desa.bekasikab.go.id/index.php/siteman');
    expect(site).toMatch(/Nama pengguna\s*admin/);
    expect(site).toContain('(sid304) tidak berlaku');
    expect(secrets(sid)).toContain('Abcd-efgh-2345-wxyz');
    expect(text(sid).split('Abcd-efgh-2345-wxyz')).toHaveLength(2);
    // Without OpenSID, no such box.
    expect(text(section(html, 'situs'))).not.toContain('Administrator OpenSID');
  });

  it('a kelurahan without mailboxes or storage: shows its site, says the rest is not provided, holds no secret', () => {
    const k = renderCredentialSheet(SETIA_ASIH, { generatedAt: AT });
    expect(k).toContain('<title>Lembar Akun Layanan Digital Kelurahan Setia Asih</title>');
    expect(text(section(k, 'surel'))).toBe('Surel resmiSurel resmi tidak disediakan untuk Kelurahan Setia Asih. Bila diperlukan, ajukan permohonan kepada Diskominfosantik Kabupaten Bekasi.');
    expect(text(section(k, 'penyimpanan'))).toContain('Penyimpanan awan tidak disediakan untuk Kelurahan Setia Asih.');
    expect(section(k, 'pengaturan-surel')).toBe('');
    expect(text(section(k, 'situs'))).toContain('https://setia-asih.desa.bekasikab.go.id/');
    expect(k).not.toContain('class="secret"');
    expect(text(k)).toContain('Dibuat dengan desa credentials dari stack setia-asih.');
    const noSite = renderCredentialSheet({ ...SETIA_ASIH, site: null }, { generatedAt: AT });
    expect(text(section(noSite, 'situs'))).toContain('Situs web tidak disediakan untuk Kelurahan Setia Asih.');
  });

  it('escapes every value: a hostile name, kecamatan, role, address and password stay text', () => {
    const evil = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;\'';
    const hostile: SheetData = {
      ...SUMBERJAYA,
      unit: { ...SUMBERJAYA.unit, name: evil, kecamatan: `</section>${evil}` },
      kabupaten: { name: evil, operator: evil },
      mail: { host: `${evil}.example`, webmail: `https://${evil}.example/`, mailboxes: [{ role: evil, address: `${evil}@x`, password: `<b>1</b>${evil}`, quota: evil }] },
      storage: { endpoint: evil, bucket: evil, accessKeyId: evil, secretAccessKey: `9&${evil}`, quota: evil },
      site: { url: `javascript:${evil}`, template: evil },
      stack: { name: evil, lastUpdate: null },
    };
    const h = renderCredentialSheet(hostile, { generatedAt: AT });
    expect(h).not.toMatch(/<script|<img|<\/section><script/);
    expect(h.match(/<section /g)).toHaveLength(6);
    expect(h.match(/<\/section>/g)).toHaveLength(6);
    expect(secrets(h)).toEqual([`<b>1</b>${evil}`, `9&${evil}`]);
    expect(text(h)).toContain(`Lembar Akun Layanan Digital Desa ${evil}`);
  });

  it('needs nothing from outside: no script, link, image, stylesheet or font to fetch, and a CSP that forbids it', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed|svg|a)\b/i);
    expect(html).not.toMatch(/\b(src|href|action|srcset)\s*=/i);
    expect(html).not.toMatch(/url\(|@import|@font-face/i);
    // The only addresses on the page are the data it hands over, as text.
    expect([...new Set(html.match(/https?:\/\/[^\s<"']+/g))].sort()).toEqual(['https://s3.bekasikab.go.id', 'https://sumberjaya.desa.bekasikab.go.id/', 'https://webmail.desa.bekasikab.go.id/']);
  });

  it('prints on A4', () => {
    expect(html).toContain('@page { size: A4;');
    expect(html).toMatch(/@media print \{[^}]*\.secret \{ font-size: 12\.5pt; \}/);
  });

  it("names the kabupaten's own office and its provinsi's time zone, not Bekasi's", () => {
    // A desa adat of Kabupaten Jayapura (Papua, WIT), run by an office that calls itself Diskominfo.
    const jayapura: SheetData = {
      ...SUMBERJAYA,
      unit: { name: 'Desa Adat Yoboi', kind: 'desa', code: '91.03.01.3007', kecamatan: 'Sentani', slug: 'desa-adat-yoboi' },
      kabupaten: { name: 'Kabupaten Jayapura', operator: 'Dinas Komunikasi dan Informatika (Diskominfo) Kabupaten Jayapura' },
      storage: { ...SUMBERJAYA.storage!, endpoint: 'http://127.0.0.1:23806' },
    };
    const h = text(renderCredentialSheet(jayapura, { generatedAt: AT }));
    expect(h).toContain('Dibuat 9 April 2024 pukul 16.05 WIT oleh Dinas Komunikasi dan Informatika (Diskominfo) Kabupaten Jayapura');
    expect(h).toContain('Alamat yang sebenarnya diberikan oleh Diskominfo.');
    expect(h).toContain('Kata sandi dikelola Diskominfo.');
    expect(h).not.toMatch(/Diskominfosantik|Bekasi|WIB/);
    const bali = text(renderCredentialSheet({ ...jayapura, unit: { ...jayapura.unit, code: '51.71.01.1001' } }, { generatedAt: AT, lang: 'en' }));
    expect(bali).toContain('Made 9 April 2024, 15:05 WITA by');
    expect(bali).toContain('Diskominfo manages the passwords.');
  });

  it('in English with lang en', () => {
    const e = renderCredentialSheet(SUMBERJAYA, { generatedAt: AT, lang: 'en' });
    expect(e).toContain('<html lang="en">');
    expect(e).toContain('<title>Digital Services Account Sheet, Desa Sumberjaya</title>');
    expect(text(e)).toContain('Made 9 April 2024, 14:05 WIB by Diskominfosantik Kabupaten Bekasi');
    expect(text(e)).toContain('Village head (Kepala Desa)');
    expect(secrets(e)).toEqual(secrets(html));
  });
});

describe('roleLabel, formatMoment, isInternalEndpoint', () => {
  it('reads a role as a position', () => {
    expect(roleLabel('kepala-desa')).toBe('Kepala Desa');
    expect(roleLabel('sekretaris-kelurahan')).toBe('Sekretaris Kelurahan');
    expect(roleLabel('kaur-keuangan')).toBe('Kepala Urusan Keuangan');
    expect(roleLabel('kasi-pelayanan')).toBe('Kepala Seksi Pelayanan');
    expect(roleLabel('bpd')).toBe('Badan Permusyawaratan Desa (BPD)');
    expect(roleLabel('lurah', 'en')).toBe('Head of the kelurahan (Lurah)');
    expect(roleLabel('kaur-umum', 'en')).toBe('Kepala Urusan Umum');
  });

  it('writes a quota as people read sizes', () => {
    expect(['2Gi', '500Mi', '1Ti'].map(formatQuota)).toEqual(['2 GiB', '500 MiB', '1 TiB']);
  });

  it('formats a moment in Asia/Jakarta, across midnight', () => {
    expect(formatMoment(new Date('2023-12-31T17:30:00Z'))).toBe('1 Januari 2024 pukul 00.30 WIB');
    expect(formatMoment(new Date('2023-12-31T17:30:00Z'), 'en')).toBe('1 January 2024, 00:30 WIB');
  });

  it('knows the three time zones by provinsi, and the office by the short name in brackets', () => {
    expect(['32.16.06.2005', '11.08.01.2001', '62.01.01.2001', '51.71.01.1001', '64.72.01.1001', '76.01.01.2001', '81.01.01.2001', '96.01.01.2001'].map((c) => zoneOf(c).abbr)).toEqual(['WIB', 'WIB', 'WIB', 'WITA', 'WITA', 'WITA', 'WIT', 'WIT']);
    expect(formatMoment(new Date('2023-12-31T17:30:00Z'), 'id', zoneOf('91.03.01.2004'))).toBe('1 Januari 2024 pukul 02.30 WIT');
    expect(officeName('Dinas Komunikasi, Informatika, Persandian dan Statistik (Diskominfosantik) Kabupaten Bekasi')).toBe('Diskominfosantik');
    expect(officeName('Dinas Komunikasi dan Informatika Kabupaten Aceh Utara')).toBe('Dinas Komunikasi dan Informatika Kabupaten Aceh Utara');
  });

  it('knows the endpoints an office cannot reach', () => {
    expect(isInternalEndpoint('http://storage.desa-platform.svc.cluster.local:9000')).toBe(true);
    expect(isInternalEndpoint('http://127.0.0.1:9000')).toBe(true);
    expect(isInternalEndpoint('https://s3.bekasikab.go.id')).toBe(false);
    expect(isInternalEndpoint('s3.bekasikab.go.id:443')).toBe(false);
  });
});
