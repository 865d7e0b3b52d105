// Headless Chromium for the HTML documents desa writes (the report, the credential sheet): every network
// request is recorded and blocked, because a page that needs one would not open offline or on paper.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';

export const CHROMIUM = process.env.DESA_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Skip only on a developer machine without Chromium; in CI (npm test installs it) a missing browser fails. */
export const noChromium = !existsSync(CHROMIUM) && !process.env.CI;

export interface OfflineBrowser {
  /** A new page showing `html`, loaded with every request blocked. */
  open(html: string, viewport: { width: number; height: number }): Promise<Page>;
  /** Every URL a page asked for (none is expected). */
  requests: string[];
  close(): Promise<void>;
}

export async function launchOffline(): Promise<OfflineBrowser> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  const requests: string[] = [];
  return {
    requests,
    async open(html, viewport) {
      const page = await browser.newPage({ viewport });
      page.on('request', (r) => requests.push(r.url()));
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load' });
      return page;
    },
    close: () => browser.close(),
  };
}

/** In a describe block: one browser for its tests, closed after them, with no request made by any page. */
export function useOfflineBrowser(): { open: OfflineBrowser['open'] } {
  let browser: OfflineBrowser | undefined;
  beforeAll(async () => {
    browser = await launchOffline();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    // Nothing may leave the page: no fonts, scripts, images or stylesheets to fetch.
    expect(browser?.requests).toEqual([]);
  });
  return { open: (html, viewport) => browser!.open(html, viewport) };
}
