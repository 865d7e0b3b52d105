// End-to-end: `bin/desa onboard` on a copy of desa.yaml in a temporary directory, checked by exit code,
// output and the file it leaves behind (compared with GNU diff, independently of the CLI's own diff).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const original = readFileSync(join(root, 'desa.yaml'), 'utf8');

/** The lines of Lambangjaya's entry, removed to stand for a desa not onboarded yet. */
const LAMBANGJAYA = '  - code: "32.16.06.2003"\n    name: Lambangjaya\n    kind: desa\n    kecamatan: Tambun Selatan\n    slug: lambangjaya\n    connectivity:\n      status: unknown\n';

function workspace(text = original) {
  const dir = mkdtempSync(join(tmpdir(), 'desa-onboard-'));
  mkdirSync(join(dir, 'data'));
  copyFileSync(join(root, 'data/kepmendagri-2025-bekasi.csv'), join(dir, 'data/kepmendagri-2025-bekasi.csv'));
  writeFileSync(join(dir, 'desa.yaml'), text);
  const file = join(dir, 'desa.yaml');
  return {
    dir,
    read: () => readFileSync(file, 'utf8'),
    desa: (...args: string[]) => {
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
      delete env.FORCE_COLOR;
      const r = spawnSync(join(root, 'bin/desa'), args, { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

/** `diff -U0` hunks between two texts, without the file header lines. */
function gnuDiff(dir: string, before: string, after: string): string {
  writeFileSync(join(dir, 'before.yaml'), before);
  writeFileSync(join(dir, 'after.yaml'), after);
  const r = spawnSync('diff', ['-U0', 'before.yaml', 'after.yaml'], { cwd: dir, encoding: 'utf8' });
  return r.stdout.split('\n').slice(2).join('\n');
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

/**
 * `desa ...args` on a terminal (a pseudo-terminal from util-linux `script`), as a person runs it: once
 * `waitFor` is on the screen, `keys` are typed. Resolves with the screen output and the exit code.
 */
function onTerminal(dir: string, args: string[], waitFor: string, keys: string): Promise<{ code: number; screen: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.CI;
  delete env.FORCE_COLOR;
  const command = `${join(root, 'bin/desa')} ${args.join(' ')}; echo "[exit $?]"`;
  const p = spawn('script', ['-qec', command, '/dev/null'], { cwd: dir, env });
  let screen = '';
  let typed = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (p.kill(), reject(new Error(`timed out; screen:\n${screen.slice(-500)}`))), 30_000);
    p.stdout.on('data', (d: Buffer) => {
      screen += d.toString();
      if (!typed && screen.includes(waitFor)) {
        typed = true;
        setTimeout(() => p.stdin.write(keys), 300);
      }
    });
    p.on('exit', () => {
      clearTimeout(timer);
      resolve({ code: Number(/\[exit (\d+)\]/.exec(screen)?.[1] ?? -1), screen });
    });
  });
}

describe('desa onboard', () => {
  it('adds a desa from the official list in its kecamatan block, touching no other line', () => {
    const before = original.replace(LAMBANGJAYA, '');
    const w = workspace(before);
    const r = w.desa('onboard', '--code', '32.16.06.2003');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Added Lambangjaya (32.16.06.2003, desa, kecamatan Tambun Selatan) to desa.yaml as lambangjaya');
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('Provision it with: desa up --only lambangjaya');
    expect(r.stderr).not.toMatch(/\u001b\[/); // NO_COLOR
    // Exactly the entry as it was in the repository, at the same place.
    expect(w.read()).toBe(original);
    expect(w.desa('validate').code).toBe(0);
  });

  it('completes an existing entry with flags, changing only the lines of that entry', () => {
    const w = workspace();
    const r = w.desa('onboard', '--code', '32.16.06.2004', '--template', 'opensid', '--accounts', 'kepala-desa,operator', '--storage-quota', '50Gi', '--kepala-name', 'H. Ahmad Fauzi', '--kepala-phone', '+62 812 3456 7890', '--operator-email', 'operator@tambun.example', '--operator-name', 'Siti');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('services.site.template: (not set) → opensid');
    expect(gnuDiff(w.dir, original, w.read())).toBe(
      [
        '@@ -373,0 +374,14 @@',
        '+    services:',
        '+      email:',
        '+        accounts: [kepala-desa, operator]',
        '+      storage:',
        '+        quota: 50Gi',
        '+      site:',
        '+        template: opensid',
        '+    contacts:',
        '+      kepala:',
        '+        name: H. Ahmad Fauzi',
        '+        phone: +62 812 3456 7890',
        '+      operator:',
        '+        name: Siti',
        '+        email: operator@tambun.example',
        '',
      ].join('\n'),
    );
    expect(w.desa('validate').code).toBe(0);
    // Asking again for what the file already says changes nothing.
    const again = w.desa('onboard', '--code', '32.16.06.2004', '--template', 'opensid');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already has all of this');
  });

  it('keeps the comment inside an entry it edits', () => {
    const w = workspace();
    const r = w.desa('onboard', '--code', '32.16.06.2002', '--template', 'external', '--site-url', 'https://lambangsari.example.id');
    expect(r.code).toBe(0);
    expect(gnuDiff(w.dir, original, w.read())).toBe('@@ -359 +359 @@\n-        url: unknown\n+        url: https://lambangsari.example.id\n');
  });

  it('--dry-run prints the diff on stdout and writes nothing; --json describes the change', () => {
    const w = workspace(original.replace(LAMBANGJAYA, ''));
    const dry = w.desa('onboard', '--code', '32.16.06.2003', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+  - code: "32.16.06.2003"\n+    name: Lambangjaya\n');
    expect(dry.stderr).toContain('Nothing was written.');
    expect(w.read()).toBe(original.replace(LAMBANGJAYA, ''));

    const json = w.desa('onboard', '--code', '32.16.06.2003', '--dry-run', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, action: 'add', slug: 'lambangjaya', written: false, next: 'desa up --only lambangjaya' });
  });

  it('adds a code from a newer decree only with --name and --source', () => {
    const w = workspace();
    const missing = w.desa('onboard', '--code', '32.16.06.2099', '--name', 'Lambang Baru');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--source is needed: 32.16.06.2099 is not in the official list');
    noStack(missing.stderr);
    expect(w.read()).toBe(original);

    const r = w.desa('onboard', '--code', '32.16.06.2099', '--name', 'Lambang Baru', '--source', 'Perda Kabupaten Bekasi No 1 Tahun 2026');
    expect(r.code).toBe(0);
    expect(gnuDiff(w.dir, original, w.read())).toMatch(/^@@ -418,0 \+419,8 @@\n\+  - code: "32\.16\.06\.2099"\n\+    name: Lambang Baru\n\+    kind: desa\n\+    kecamatan: Tambun Selatan\n\+    slug: lambang-baru\n\+    source: Perda Kabupaten Bekasi No 1 Tahun 2026\n/);
    expect(w.desa('validate').code).toBe(0);
  });

  it('without a terminal, names the missing flag and exits 2', () => {
    const w = workspace();
    const r = w.desa('onboard');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--code is needed');
    noStack(r.stderr);
  });

  it('refuses a duplicate: an onboarded desa with nothing to change, a slug in use, a pinned slug', () => {
    const w = workspace(original.replace(LAMBANGJAYA, ''));
    const dup = w.desa('onboard', '--code', '32.16.06.2004');
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('Tambun (32.16.06.2004) is already onboarded in desa.yaml; no flag asks to change it.');
    const slug = w.desa('onboard', '--code', '32.16.06.2003', '--slug', 'tambun');
    expect(slug.code).toBe(2);
    expect(slug.stderr).toContain('the slug "tambun" is already used by Tambun (32.16.06.2004)');
    const pinned = w.desa('onboard', '--code', '32.16.06.2004', '--slug', 'tambun-baru');
    expect(pinned.code).toBe(2);
    expect(w.read()).toBe(original.replace(LAMBANGJAYA, ''));
  });

  it('validates the result before writing: an invalid change writes nothing and exits 3', () => {
    const w = workspace(original.replace(LAMBANGJAYA, ''));
    const r = w.desa('onboard', '--code', '32.16.06.2003', '--name', 'Lambang Jaya');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/desa\.yaml \(as it would be\):\d+:\d+: units\[\d+\]\.name: "Lambang Jaya" is not the official name of 32\.16\.06\.2003/);
    expect(r.stderr).toContain('Nothing was written to desa.yaml');
    noStack(r.stderr);
    expect(w.read()).toBe(original.replace(LAMBANGJAYA, ''));
  });

  it('pins the slug of an entry that has none', () => {
    const w = workspace(original.replace('    slug: tambun\n', ''));
    const r = w.desa('onboard', '--code', '32.16.06.2004');
    expect(r.code).toBe(0);
    expect(w.read()).toBe(original);
  });

  it('rejects a bad flag value naming the flag', () => {
    const w = workspace();
    const r = w.desa('onboard', '--code', '32.16.06.2004', '--storage-quota', '20GB');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--storage-quota "20GB": expected a size such as 500Mi, 2Gi or 1Ti');
  });

  it('on a terminal: the form in Bahasa Indonesia; Esc cancels with a plain line, not an error, and writes nothing', async () => {
    const w = workspace();
    const r = await onTerminal(w.dir, ['onboard'], 'Kecamatan (↑↓ pindah', '\u001b');
    expect(r.screen).toContain('Daftarkan desa atau kelurahan');
    expect(r.screen).toContain('Dibatalkan; tidak ada yang ditulis.');
    expect(r.screen).not.toContain('error:');
    expect(r.code).toBe(130);
    expect(w.read()).toBe(original);
    const en = await onTerminal(w.dir, ['onboard', '--lang', 'en'], 'Kecamatan (↑↓ move', '\u001b');
    expect(en.screen).toContain('Cancelled; nothing was written.');
    expect(en.screen).not.toContain('error:');
  }, 60_000);

  it('explains itself in --help, with examples', () => {
    const r = workspace().desa('onboard', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--kepala-phone <phone>');
  });
});
