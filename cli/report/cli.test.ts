// End to end: the real CLI (bin/desa on Node 24) as a user runs it, without a TTY.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DESA_BIN, ROOT } from '../../test/fixtures/report.ts';
import { reportSchema } from './schema.ts';

function desa(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(DESA_BIN, args, { cwd: ROOT, encoding: 'utf8', input: '', env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;
const dir = mkdtempSync(join(tmpdir(), 'desa-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('desa report (end to end)', () => {
  it('prints JSON that matches the schema: 187 units, 23 kecamatan, 8 kelurahan', () => {
    const r = desa(['report', '--format', 'json', '--as-of', '2024-04-09']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const data = reportSchema.parse(JSON.parse(r.stdout));
    expect(data).toMatchObject({ asOf: '2024-04-09', file: 'desa.yaml', overall: { units: 187, kelurahan: 8, kecamatan: 23 } });
  });

  it('writes Markdown when piped and no format is given, with today from DESA_TODAY', () => {
    const r = desa(['report'], { DESA_TODAY: '2024-01-01' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Laporan Konektivitas dan Layanan Digital Desa\n\*\*Kabupaten Bekasi\*\* · per 1 Januari 2024/);
    expect(r.stdout).toContain('❔ **Capaian belum dapat ditentukan: 187 dari 187 unit dalam cakupan belum ada data statusnya');
  });

  it('prints one CSV row per unit, in English or not', () => {
    const r = desa(['report', '--format', 'csv', '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\r\n')).toHaveLength(188);
  });

  it('writes --out, says where on stderr, prints nothing on stdout; the format follows the extension', () => {
    const out = join(dir, 'laporan.html');
    const r = desa(['report', '--out', out, '--as-of', '2024-04-09']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Wrote ${out} (html, 187 units, as of 2024-04-09).`);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>\n<html lang="id">/);

    const json = join(dir, 'report.json');
    expect(desa(['report', '-o', json]).code).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8')).schemaVersion).toBe(1);
  });

  it('writes the terminal view to a file without colour codes', () => {
    const out = join(dir, 'report.txt');
    expect(desa(['report', '--format', 'terminal', '--out', out], { FORCE_COLOR: '1', NO_COLOR: '' }).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('Laporan Konektivitas');
    expect(text).not.toContain('\u001b[');
  });

  it.each([
    [['--format', 'xml'], '--format: expected one of terminal, markdown, json, csv, html, pdf; got "xml"'],
    [['--lang', 'fr'], '--lang: expected one of id, en'],
    [['--as-of', '2023-02-30'], '--as-of: expected a date as YYYY-MM-DD'],
  ])('rejects %j with exit 2 and a message naming the option', (args, message) => {
    const r = desa(['report', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('desa report --help');
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  it('fails with exit 3 on a missing inventory, and exit 2 on an unwritable --out', () => {
    expect(desa(['report', '--file', join(dir, 'nope.yaml')]).code).toBe(3);
    const r = desa(['report', '--out', join(dir, 'missing-dir', 'x.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write');
    expect(existsSync(join(dir, 'missing-dir'))).toBe(false);
  });

  it('explains itself with --help, with examples', () => {
    const r = desa(['report', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/default:\s+terminal on a/);
    expect(r.stdout).toContain('desa report --out laporan.pdf');
    expect(r.stdout).toContain('desa report --format html --out laporan.html');
  });
});
