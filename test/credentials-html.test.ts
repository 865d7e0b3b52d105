// The credential sheet as a person sees and prints it: rendered by headless Chromium with every network
// request blocked (the page must need none), asserting on visible text and the printed A4 pages.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { randomPassword } from '../stacks/secrets.ts';
import { describe, expect, it } from 'vitest';
import { noChromium, useOfflineBrowser } from './helpers/offline-browser.ts';
import { SETIA_ASIH, SUMBERJAYA } from './fixtures/credentials.ts';
import { renderCredentialSheet, type SheetData } from '../cli/credentials/sheet.ts';

const AT = new Date('2024-04-09T07:05:00Z');

let browser: ReturnType<typeof useOfflineBrowser>;

async function open(data: SheetData, viewport = { width: 900, height: 1000 }): Promise<Page> {
  return browser.open(renderCredentialSheet(data, { generatedAt: AT }), viewport);
}

describe.skipIf(noChromium)('credential sheet in Chromium', () => {
  browser = useOfflineBrowser();

  it('shows each password, as typed, beside its address; the groups of 4 are spacing, not text', async () => {
    const page = await open(SUMBERJAYA);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Lembar Akun Layanan Digital Desa Sumberjaya');
    const accounts = page.locator('#surel article.account');
    expect(await accounts.count()).toBe(3);
    for (const [i, b] of SUMBERJAYA.mail!.mailboxes.entries()) {
      const box = accounts.nth(i).locator('.secret');
      expect(await box.isVisible()).toBe(true);
      expect(await box.innerText()).toBe(b.password);
      expect(await accounts.nth(i).innerText()).toContain(b.address);
    }
    expect(await page.locator('#penyimpanan .secret').innerText()).toBe(SUMBERJAYA.storage!.secretAccessKey);
    expect(await page.locator('#serah-terima').innerText()).toMatch(/Diserahkan oleh[\s\S]*Tanda tangan[\s\S]*Diterima oleh/);
    await page.close();
  }, 60_000);

  it('prints on A4 pages without overflowing their width, on 2 pages at most', async () => {
    const page = await open(SUMBERJAYA, { width: 703, height: 1000 });
    await page.emulateMedia({ media: 'print' });
    expect(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
    const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
    const pages = pdf.match(/\/Type\s*\/Page\b/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
    await page.close();
  }, 60_000);

  // A sheet as `desa credentials` makes it today: passwords of the current alphabet (40 characters),
  // quotas, the local test storage address; from one mailbox to seven.
  const roles = ['kepala-desa', 'sekretaris-desa', 'operator', 'bendahara', 'kaur-keuangan', 'kasi-pelayanan', 'bpd'];
  const sheet = (n: number): SheetData => ({
    ...SUMBERJAYA,
    mail: { ...SUMBERJAYA.mail!, mailboxes: roles.slice(0, n).map((role) => ({ role, address: `sumberjaya.${role}@desa.bekasikab.go.id`, password: randomPassword(), quota: '2Gi' })) },
    storage: { ...SUMBERJAYA.storage!, endpoint: 'http://127.0.0.1:23806', secretAccessKey: randomPassword() },
  });
  const printed = async (data: SheetData, lang: 'id' | 'en') => {
    const page = await browser.open(renderCredentialSheet(data, { generatedAt: AT, lang }), { width: 900, height: 1000 });
    const file = join(mkdtempSync(join(tmpdir(), 'sheet-')), 'sheet.pdf');
    writeFileSync(file, await page.pdf({ preferCSSPageSize: true }));
    await page.close();
    const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    if (r.error) throw new Error('pdftotext is missing: apt-get install poppler-utils');
    return r.stdout.split('\f').filter((p) => p.trim());
  };

  it.each([1, 3, 4, 7])('printed with %i mailbox(es): each password on one line, the handover never alone on a page', async (n) => {
    for (const lang of ['id', 'en'] as const) {
      const pages = await printed(sheet(n), lang);
      const [handover, safety] = lang === 'id' ? ['Serah terima', 'Petunjuk keamanan'] : ['Handover', 'Keeping it safe'];
      const last = pages.find((p) => p.includes(handover))!;
      // The safety rules and the handover are printed together, on the same page.
      expect(last).toContain(safety);
      if (n <= 3) expect(pages).toHaveLength(2);
      // A 40-character password in groups of 4 is one line of 10 groups.
      const all = pages.join('\n');
      expect(all.match(/^.*?((?:[2-9a-hjkmnp-z]{4} ){9}[2-9a-hjkmnp-z]{4})\s*$/gm)?.length).toBe(n + 1);
    }
  }, 120_000);

  it('a kelurahan without mailboxes or storage says so, and shows no password box', async () => {
    const page = await open(SETIA_ASIH);
    expect(await page.locator('#surel').innerText()).toContain('Surel resmi tidak disediakan untuk Kelurahan Setia Asih.');
    expect(await page.locator('.secret').count()).toBe(0);
    await page.close();
  }, 60_000);
});
