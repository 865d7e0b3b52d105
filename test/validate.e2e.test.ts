import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { desa, STACK_TRACE } from './helpers/cli.ts';
import { edit, lineOf, ROOT, shippedText, tempInventory } from './helpers/inventory.ts';

describe('desa validate', () => {
  it('accepts the shipped inventory: exit 0, summary on stderr, nothing on stdout', () => {
    const r = desa(['validate'], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('desa.yaml is valid: 187 units (179 desa, 8 kelurahan) in 23 kecamatan.');
  });

  it('prints a JSON summary with --json', () => {
    const r = desa(['validate', '--json'], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      units: 187,
      desa: 179,
      kelurahan: 8,
      kecamatan: 23,
      pilots: ['lambangsari', 'sumberjaya', 'karangbahagia', 'karangmukti'],
    });
  });

  it('rejects a bad file with exit 3, file:line:column and the field, without a stack trace, and leaves it unchanged', () => {
    const text = edit(shippedText(), 'kecamatan: Tambun Selatan', 'kecamatan: Cibitung', 'code: "32.16.06.2010"');
    const { file } = tempInventory(text);
    const r = desa(['validate', '--file', file]);
    expect(r.code).toBe(3);
    const line = lineOf(text, 'kecamatan: Cibitung');
    expect(r.stderr).toContain(`${file}:${line}:16: units[48].kecamatan: "Cibitung" does not match code 32.16.06.2010`);
    expect(r.stderr).toContain('nothing was changed');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('lists every problem as JSON with --json', () => {
    let text = edit(shippedText(), 'status: unknown', 'status: conected');
    text = edit(text, 'coverage: 100', 'coverage: 120');
    const { file } = tempInventory(text);
    const r = desa(['validate', '--file', file, '--json']);
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.problems.map((p: { path: unknown[] }) => p.path.join('.'))).toEqual([
      'kabupaten.targets.0.coverage',
      'units.0.connectivity.status',
    ]);
    expect(out.problems[1]).toMatchObject({ line: lineOf(text, 'status: conected'), hint: 'did you mean "connected"?' });
  });

  it('says what to do when the file is missing (exit 3)', () => {
    const r = desa(['validate', '--file', '/nonexistent/desa.yaml']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('/nonexistent/desa.yaml does not exist');
    expect(r.stderr).toContain('--file');
  });

  it('treats a wrong command or flag as a usage error (exit 2) with a suggestion', () => {
    const r = desa(['validat']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'validat'[\s\S]*Did you mean validate\?/);
    expect(desa(['validate', '--fiel', 'x']).code).toBe(2);
  });

  it('explains itself with --help, with an example', () => {
    const r = desa(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: desa validate');
    expect(r.stdout).toContain('Examples:');
  });
});
