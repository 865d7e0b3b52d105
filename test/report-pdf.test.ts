// `desa report --format pdf`: the HTML report printed by headless Chromium, as an official prints and
// forwards it. The PDF is read back with poppler's pdfinfo and pdftotext (Debian poppler-utils).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { desa, STACK_TRACE } from './helpers/cli.ts';
import { noChromium } from './helpers/offline-browser.ts';
import { ROOT } from './helpers/inventory.ts';

const dir = mkdtempSync(join(tmpdir(), 'desa-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const poppler = (tool: string, file: string, ...args: string[]) => {
  const r = spawnSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
  if (r.error) throw new Error(`${tool} is missing: apt-get install poppler-utils`);
  return r.stdout;
};
/** The text of each page, in reading order. */
const pages = (file: string) => poppler('pdftotext', file, '-layout').split('\f').filter((p) => p.trim());

describe.skipIf(noChromium)('desa report --format pdf', () => {
  it('prints the report to an A4 PDF with page numbers and a signature block, in Bahasa Indonesia', () => {
    const out = join(dir, 'laporan.pdf');
    const r = desa(['report', '--out', out, '--as-of', '2024-04-09'], { cwd: ROOT });
    expect(r.stderr).toContain(`Wrote ${out} (pdf, 187 units, as of 2024-04-09).`);
    expect(r.code).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    const info = poppler('pdfinfo', out);
    expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
    const text = pages(out);
    const n = text.length;
    expect(n).toBeGreaterThan(2);
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBe(n);
    text.forEach((p, i) => expect(p).toContain(`Halaman ${i + 1} dari ${n}`));
    expect(text[0]).toContain('Laporan Konektivitas dan Layanan Digital Desa');
    const all = text.join('\n');
    expect(all).toContain('Capaian belum dapat ditentukan');
    expect(all).toMatch(/Mengetahui,[\s\S]*NIP/);
    // The signature block is not left alone on a page: the section before it ends on the same page.
    const signed = text.find((p) => p.includes('Mengetahui,'))!;
    expect(signed.split('\n').filter((l) => l.trim()).length).toBeGreaterThan(12);
  }, 90_000);

  it('fills the signature block from the flags, and speaks English with --lang en', () => {
    const out = join(dir, 'report.pdf');
    const r = desa(['report', '--format', 'pdf', '--out', out, '--lang', 'en', '--as-of', '2024-04-09', '--approver', 'Nama Pejabat Uji', '--approver-title', 'Kepala Dinas Uji', '--approver-nip', '19700101 199001 1 001'], { cwd: ROOT });
    expect(r.code).toBe(0);
    const text = pages(out);
    text.forEach((p, i) => expect(p).toContain(`Page ${i + 1} of ${text.length}`));
    const all = text.join('\n');
    expect(all).toContain('Acknowledged,');
    expect(all).toMatch(/Kepala Dinas Uji[\s\S]*Nama Pejabat Uji[\s\S]*NIP 19700101 199001 1 001/);
  }, 90_000);

  it('fails with exit 4 and says how to install Chromium when it is missing, writing nothing', () => {
    const out = join(dir, 'none.pdf');
    const r = desa(['report', '--out', out], { cwd: ROOT, env: { DESA_CHROMIUM: join(dir, 'no-such-chromium') } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('Chromium');
    expect(r.stderr).toContain('apt-get install chromium');
    expect(r.stderr).toContain('--format html');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(existsSync(out)).toBe(false);
  });
});

describe('desa report --out: the extension and the format agree', () => {
  it.each([
    [['--out', 'laporan.docx'], '--out laporan.docx: desa report does not write .docx files'],
    [['--format', 'markdown', '--out', 'laporan.pdf'], '--out laporan.pdf: a .pdf file needs --format pdf, not markdown'],
    [['--format', 'pdf'], '--format pdf: a PDF is written to a file: add --out laporan.pdf'],
  ])('refuses %j with exit 2, writing nothing', (args, message) => {
    const empty = mkdtempSync(join(dir, 'refused-'));
    const r = desa(['report', ...args], { cwd: empty });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
    expect(readdirSync(empty)).toEqual([]);
  });
});
