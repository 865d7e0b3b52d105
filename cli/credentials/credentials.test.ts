// `desa credentials`: the file it writes (mode 0600, never over a file unless --force), stdout only when
// it is not a terminal, and the command's one line on stderr. Real desa.yaml and a file backend of
// made-up checkpoints; only the engine boundary (readSecretOutputs) is mocked.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerCredentials } from '../commands/credentials.ts';
import { AbortError } from '../../core/errors.ts';
import { DESA_YAML } from '../../test/fixtures/report.ts';
import { writeCredentials, writePrivateFile } from './credentials.ts';
import { checkpoint, desaOutputs, PLATFORM_OUTPUTS, text, writeStacks } from '../../test/fixtures/credentials.ts';

const { reveal } = vi.hoisted(() => ({ reveal: vi.fn<typeof import('../engine/state-engine.ts').readSecretOutputs>() }));
vi.mock('../engine/state-engine.ts', () => ({ readSecretOutputs: reveal }));

const ROLES = ['kepala-desa', 'sekretaris-desa', 'operator'];
const PASSWORDS = Object.fromEntries(ROLES.map((r) => [`sumberjaya.${r}@desa.bekasikab.go.id`, `Pw0-${r}-secret`]));
const SECRET_KEY = 'Sk9-sumberjaya-secret';

const dir = () => mkdtempSync(join(tmpdir(), 'credentials-'));
const mode = (path: string) => statSync(path).mode & 0o777;
const rejection = (p: Promise<unknown>) => p.then(() => expect.unreachable('it succeeded'), (e: unknown) => e as AbortError);

function provisioned(): NodeJS.ProcessEnv {
  const state = dir();
  writeStacks(state, { platform: checkpoint('platform', PLATFORM_OUTPUTS), sumberjaya: checkpoint('sumberjaya', desaOutputs('sumberjaya', ROLES, true)) });
  reveal.mockClear().mockResolvedValue(
    new Map([['sumberjaya', { ...desaOutputs('sumberjaya', ROLES, true), mailPasswords: PASSWORDS, storageCredentials: { bucket: 'desa-sumberjaya', accessKeyId: 'desa-sumberjaya', secretAccessKey: SECRET_KEY } }]]),
  );
  return { DESA_STATE_DIR: state };
}
const base = { file: DESA_YAML, slug: 'sumberjaya', lang: 'id' as const, force: false, stdoutIsTTY: false };

describe('writePrivateFile', () => {
  it('creates the file with mode 0600 whatever the umask', () => {
    const path = join(dir(), 'a.html');
    const old = process.umask(0o000);
    try {
      writePrivateFile(path, 'x', { replace: false });
    } finally {
      process.umask(old);
    }
    expect(mode(path)).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('x');
  });

  it('refuses an existing file or a symbolic link (exit 2), and changes neither', () => {
    const d = dir();
    writeFileSync(join(d, 'a.html'), 'old');
    symlinkSync(join(d, 'elsewhere'), join(d, 'link.html'));
    for (const name of ['a.html', 'link.html']) {
      expect(() => writePrivateFile(join(d, name), 'new', { replace: false })).toThrow(expect.objectContaining({ exitCode: 2, nextStep: expect.stringContaining('--force') }));
    }
    expect(readFileSync(join(d, 'a.html'), 'utf8')).toBe('old');
    expect(existsSync(join(d, 'elsewhere'))).toBe(false);
  });

  it('with replace: a readable file becomes 0600 with the new text, and no temporary file is left', () => {
    const d = dir();
    const path = join(d, 'a.html');
    writeFileSync(path, 'old');
    chmodSync(path, 0o644);
    writePrivateFile(path, 'new', { replace: true });
    expect(mode(path)).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(d)).toEqual(['a.html']);
  });

  it('a directory that does not exist: exit 2', () => {
    expect(() => writePrivateFile(join(dir(), 'no', 'a.html'), 'x', { replace: false })).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/^cannot write .*ENOENT/) }));
  });
});

describe('writeCredentials', () => {
  it('writes the sheet to a 0600 file and says what it holds, without a secret', async () => {
    const env = provisioned();
    const out = join(dir(), 'kredensial-sumberjaya.html');
    const r = await writeCredentials({ ...base, out, env });
    expect(r).toEqual({ out, html: undefined, summary: '3 mailboxes, storage, site' });
    expect(mode(out)).toBe(0o600);
    const page = text(readFileSync(out, 'utf8'));
    for (const s of [...Object.values(PASSWORDS), SECRET_KEY]) expect(page.split(s)).toHaveLength(2);
    expect(page).toContain('Lembar Akun Layanan Digital Desa Sumberjaya');
  });

  it('refuses, before decrypting anything: --out - on a terminal, an existing file without --force (exit 2)', async () => {
    const env = provisioned();
    const tty = await rejection(writeCredentials({ ...base, out: '-', stdoutIsTTY: true, env }));
    expect(tty).toMatchObject({ exitCode: 2, message: expect.stringContaining('stdout is a terminal') });
    const out = join(dir(), 'old.html');
    writeFileSync(out, 'old');
    expect(await rejection(writeCredentials({ ...base, out, env }))).toMatchObject({ exitCode: 2, message: `${out} already exists; a credential sheet is never written over a file.` });
    expect(reveal).not.toHaveBeenCalled();
    expect(readFileSync(out, 'utf8')).toBe('old');
    await writeCredentials({ ...base, out, force: true, env });
    expect(readFileSync(out, 'utf8')).toContain('<!doctype html>');
  });

  it('--out - when stdout is not a terminal: the sheet comes back to be emitted, no file', async () => {
    const r = await writeCredentials({ ...base, out: '-', env: provisioned() });
    expect(r.out).toBe('-');
    expect(text(r.html!)).toContain(SECRET_KEY);
  });
});

describe('desa credentials (the command)', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Runs the command in `cwd` (test files run in their own process: chdir is safe), capturing both streams. */
  async function run(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ stdout: string; stderr: string }> {
    const out = { stdout: '', stderr: '' };
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out.stdout += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((out.stderr += String(s)), true));
    const saved = { env: { ...process.env }, cwd: process.cwd() };
    Object.assign(process.env, env, { NO_COLOR: '1' });
    process.chdir(cwd);
    const program = new Command('desa').exitOverride().configureOutput({ writeErr: () => {} });
    registerCredentials(program);
    program.commands.forEach((c) => c.exitOverride());
    try {
      await program.parseAsync(['node', 'desa', 'credentials', ...args]);
      return out;
    } finally {
      process.env = saved.env;
      process.chdir(saved.cwd);
    }
  }

  it('writes kredensial-SLUG.html in the working directory and one line on stderr, nothing secret', async () => {
    const cwd = dir();
    const r = await run(['sumberjaya', '--file', DESA_YAML], provisioned(), cwd);
    expect(mode(join(cwd, 'kredensial-sumberjaya.html'))).toBe(0o600);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('✔ Wrote kredensial-sumberjaya.html (mode 0600): 3 mailboxes, storage, site. It holds passwords: print it, hand it over, then delete the file.\n');
  });

  it('rejects a --lang it does not know as a usage error', async () => {
    await expect(run(['sumberjaya', '--lang', 'jv'], {}, dir())).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });
});
