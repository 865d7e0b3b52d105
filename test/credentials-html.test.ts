// The credential sheet as a person sees and prints it: rendered by headless Chromium with every network
// request blocked (the page must need none), asserting on visible text and the printed A4 pages.
import type { Page } from 'playwright-core';
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

  it('a kelurahan without mailboxes or storage says so, and shows no password box', async () => {
    const page = await open(SETIA_ASIH);
    expect(await page.locator('#surel').innerText()).toContain('Surel resmi tidak disediakan untuk Kelurahan Setia Asih.');
    expect(await page.locator('.secret').count()).toBe(0);
    await page.close();
  }, 60_000);
});
