// The HTML report as a person sees it: rendered by headless Chromium with every network request
// blocked (the page must need none), asserting on visible text and the drawn charts.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { noChromium, useOfflineBrowser } from './helpers/offline-browser.ts';
import { realInventory } from './fixtures/report.ts';
import { buildReport } from '../cli/report/model.ts';
import { renderReport } from '../cli/report/render.ts';

const data = buildReport(realInventory(), { asOf: '2024-04-09' });

let browser: ReturnType<typeof useOfflineBrowser>;

async function open(lang: 'id' | 'en', viewport = { width: 1100, height: 900 }): Promise<Page> {
  return browser.open(renderReport(data, 'html', { lang }), viewport);
}

// Skipped only on a developer machine without Chromium; in CI (npm test installs it) a missing
// browser fails the run instead of hiding the test.
describe.skipIf(noChromium)('HTML report in Chromium', () => {
  browser = useOfflineBrowser();

  it('shows the title, the totals and the pilots in Bahasa Indonesia', async () => {
    const page = await open('id');
    expect(await page.title()).toBe('Laporan Konektivitas dan Layanan Digital Desa — Kabupaten Bekasi');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Laporan Konektivitas dan Layanan Digital Desa');
    const summary = await page.locator('#ringkasan').innerText();
    expect(summary).toMatch(/187\s+Unit \(desa \+ kelurahan\)/);
    expect(summary).toMatch(/8\s+Kelurahan/);
    expect(summary).toMatch(/23\s+Kecamatan/);
    const pilots = await page.locator('#percontohan').innerText();
    for (const name of ['Lambangsari', 'Sumberjaya', 'Karangbahagia', 'Karangmukti']) expect(pilots).toContain(name);
    expect(await page.locator('#target').innerText()).toContain('Capaian belum dapat ditentukan: 187 dari 187 unit dalam cakupan belum ada data statusnya');
    expect(await page.locator('#proyeksi').innerText()).toContain('Tidak dapat diproyeksikan');
    await page.screenshot({ path: '/tmp/report.png' });
    await page.close();
  }, 60_000);

  it('has a visible row for each of the 23 kecamatan, and all 187 units listed', async () => {
    const page = await open('id');
    const rows = page.locator('#kecamatan-table tbody tr');
    expect(await rows.count()).toBe(23);
    for (const i of [0, 22]) expect(await rows.nth(i).isVisible()).toBe(true);
    expect(await rows.filter({ hasText: 'Tambun Selatan' }).innerText()).toMatch(/Tambun Selatan\s+10\s+0/);
    expect(await page.locator('#units-table tbody tr').count()).toBe(187);
    await page.close();
  }, 60_000);

  it('draws both charts with a real size, with the kecamatan names and the target line', async () => {
    const page = await open('id');
    for (const id of ['#chart-kecamatan', '#chart-timeline']) {
      const box = await page.locator(id).boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(150);
    }
    const label = page.locator('#chart-kecamatan text', { hasText: /^Muaragembong$/ });
    expect(await label.isVisible()).toBe(true);
    expect(await page.locator('#chart-kecamatan rect').count()).toBeGreaterThanOrEqual(46);
    expect(await page.locator('#chart-timeline .target').count()).toBe(1);
    expect(await page.locator('#linimasa .target-legend').innerText()).toContain('Target terhubung-2023: 187 unit per 31 Desember 2023');
    expect(await page.locator('#chart-timeline').innerHTML()).toContain('Belum ada sambungan bertanggal untuk digambarkan.');
    await page.close();
  }, 60_000);

  it('switches every heading to English with --lang en', async () => {
    const page = await open('en');
    const headings = await page.locator('h1, h2').allInnerTexts();
    expect(headings).toContain('Desa Connectivity and Digital Services Report');
    expect(headings).toContain('By kecamatan');
    expect(headings.join(' ')).not.toMatch(/Ringkasan|Proyeksi|Linimasa/);
    await page.close();
  }, 60_000);

  it('fits the width of an A4 page when printed', async () => {
    // A4 (210 mm) less the 12 mm margins is 186 mm, about 703 CSS pixels.
    const page = await open('id', { width: 703, height: 1000 });
    await page.emulateMedia({ media: 'print' });
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  }, 60_000);
});
