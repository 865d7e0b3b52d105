// A stack created by desa (new-stack.ts) against the real Pulumi CLI of the toolchain: the CLI accepts
// the salt Node made (it encrypts and decrypts secrets with it, runs an update, lists and exports the
// stack), and Node opens the salt and the secrets the CLI made.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findEngine, openStack, runOperation } from './automation.ts';
import { stateDirs } from '../paths.ts';
import {
  canCreateDirectly,
  decryptValue,
  enginePassphrase,
  initialCheckpoint,
  newEncryptionSalt,
  passphraseKey,
  saltMatches,
  writeNewCheckpoint,
} from './new-stack.ts';

const PHRASE = 'correct horse battery staple';

describe('the passphrase the engine reads', () => {
  it('PULUMI_CONFIG_PASSPHRASE as it is, before the file', () => {
    expect(enginePassphrase({ PULUMI_CONFIG_PASSPHRASE: ' a b\n', PULUMI_CONFIG_PASSPHRASE_FILE: '/nonexistent' })).toBe(' a b\n');
  });
  it("the file's content trimmed as Go's strings.TrimSpace does (U+0085 trimmed, U+FEFF kept)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'desa-phrase-'));
    const file = join(dir, 'p');
    writeFileSync(file, ' \t\u0085secret words\u00a0\r\n');
    expect(enginePassphrase({ PULUMI_CONFIG_PASSPHRASE_FILE: file })).toBe('secret words');
    writeFileSync(file, '\ufeffsecret\n');
    expect(enginePassphrase({ PULUMI_CONFIG_PASSPHRASE_FILE: file })).toBe('\ufeffsecret');
    writeFileSync(file, Buffer.from([0x73, 0xff, 0x0a]));
    expect(enginePassphrase({ PULUMI_CONFIG_PASSPHRASE_FILE: file })).toBeNull();
    expect(enginePassphrase({})).toBeNull();
    expect(enginePassphrase({ PULUMI_CONFIG_PASSPHRASE_FILE: join(dir, 'absent') })).toBeNull();
    expect(enginePassphrase({ PULUMI_CONFIG_PASSPHRASE_FILE: 'relative/p' })).toBeNull();
  });
});

describe('when desa may create a stack itself', () => {
  it('only in a project-layout file backend without compression, and never over an existing stack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'desa-backend-'));
    expect(canCreateDirectly(dir, {})).toBe(false); // no meta.yaml yet: the engine chooses the layout
    mkdirSync(join(dir, '.pulumi'));
    writeFileSync(join(dir, '.pulumi', 'meta.yaml'), 'version: 0\n');
    expect(canCreateDirectly(dir, {})).toBe(false);
    writeFileSync(join(dir, '.pulumi', 'meta.yaml'), 'version: 1\n');
    expect(canCreateDirectly(dir, {})).toBe(true);
    expect(canCreateDirectly(dir, { PULUMI_DIY_BACKEND_GZIP: 'true' })).toBe(false);
    expect(canCreateDirectly(dir, { PULUMI_SELF_MANAGED_STATE_GZIP: '1' })).toBe(false);
    expect(writeNewCheckpoint(dir, 'desa', 's', '{"first":1}')).toBe(true);
    expect(writeNewCheckpoint(dir, 'desa', 's', '{"second":1}')).toBe(false);
    expect(readFileSync(join(dir, '.pulumi', 'stacks', 'desa', 's.json'), 'utf8')).toBe('{"first":1}');
  });
});

describe('with the real Pulumi CLI', () => {
  let pulumi: (args: string[], cwd: string, extra?: Record<string, string>) => string;
  let backend: string;
  let work: string;
  let cliRoot: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    const engine = await findEngine();
    const root = mkdtempSync(join(tmpdir(), 'desa-newstack-'));
    backend = join(root, 'state');
    work = join(root, 'work');
    mkdirSync(backend);
    mkdirSync(work);
    writeFileSync(join(work, 'Pulumi.yaml'), 'name: desa\nruntime: nodejs\n');
    cliRoot = engine.cliRoot;
    env = {
      PULUMI_HOME: engine.pulumiHome,
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: PHRASE,
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    };
    pulumi = (args, cwd, extra = {}) =>
      execFileSync(join(engine.cliRoot, 'bin', 'pulumi'), [...args, '--non-interactive'], { cwd, env: { ...process.env, ...env, ...extra }, encoding: 'utf8', stdio: 'pipe' });
  });

  it("Node opens the salt `pulumi stack init` made, and the secrets it encrypted; a wrong passphrase does not", async () => {
    pulumi(['stack', 'init', 'by-cli'], work);
    pulumi(['config', 'set', '--secret', '--stack', 'by-cli', 'desa:token', 'kata sandi'], work);
    const settings = parse(readFileSync(join(work, 'Pulumi.by-cli.yaml'), 'utf8')) as { encryptionsalt: string; config: Record<string, { secure: string }> };
    expect(await saltMatches(PHRASE, settings.encryptionsalt)).toBe(true);
    expect(await saltMatches('another passphrase', settings.encryptionsalt)).toBe(false);
    const key = await passphraseKey(PHRASE, Buffer.from(settings.encryptionsalt.split(':')[1]!, 'base64'));
    expect(decryptValue(key, settings.config['desa:token']!.secure)).toBe('kata sandi');
    // What `stack init` wrote into the backend is what desa writes (but the time).
    const written = JSON.parse(readFileSync(join(backend, '.pulumi', 'stacks', 'desa', 'by-cli.json'), 'utf8'));
    const version = written.checkpoint.latest.manifest.version as string;
    const ours = JSON.parse(initialCheckpoint({ project: 'desa', stack: 'by-cli', salt: settings.encryptionsalt, version, now: new Date(written.checkpoint.latest.manifest.time) }));
    // Go writes nanoseconds, JavaScript milliseconds: the same instant to the millisecond.
    expect(Date.parse(ours.checkpoint.latest.manifest.time)).toBe(Date.parse(written.checkpoint.latest.manifest.time));
    ours.checkpoint.latest.manifest.time = written.checkpoint.latest.manifest.time;
    expect(ours).toEqual(written);
  });

  it('the CLI accepts a stack desa created: lists and exports it, sets, reads and applies secrets with its salt', async () => {
    pulumi(['stack', 'ls'], work); // the backend exists (meta.yaml) once the engine has used it
    expect(canCreateDirectly(backend, {})).toBe(true);
    const salt = await newEncryptionSalt(PHRASE);
    const version = `v${pulumi(['version'], work).trim().replace(/^v/, '')}`;
    expect(writeNewCheckpoint(backend, 'desa', 'by-desa', initialCheckpoint({ project: 'desa', stack: 'by-desa', salt, version }))).toBe(true);
    writeFileSync(join(work, 'Pulumi.by-desa.yaml'), `encryptionsalt: ${salt}\n`);

    expect(pulumi(['stack', 'ls', '--json'], work)).toContain('"name": "by-desa"');
    pulumi(['config', 'set', '--secret', '--stack', 'by-desa', 'desa:token', 'rahasia'], work);
    expect(pulumi(['config', 'get', '--stack', 'by-desa', 'desa:token'], work).trim()).toBe('rahasia');
    const settings = parse(readFileSync(join(work, 'Pulumi.by-desa.yaml'), 'utf8')) as { encryptionsalt: string; config: Record<string, { secure: string }> };
    expect(settings.encryptionsalt).toBe(salt);
    const key = await passphraseKey(PHRASE, Buffer.from(salt.split(':')[1]!, 'base64'));
    expect(decryptValue(key, settings.config['desa:token']!.secure)).toBe('rahasia');
    const exported = JSON.parse(pulumi(['stack', 'export', '--stack', 'by-desa'], work)) as { deployment: { secrets_providers: { state: { salt: string } } } };
    expect(exported.deployment.secrets_providers.state.salt).toBe(salt);

    // A wrong passphrase is refused, as for a stack the CLI created.
    expect(() => pulumi(['config', 'get', '--stack', 'by-desa', 'desa:token'], work, { PULUMI_CONFIG_PASSPHRASE: 'wrong' })).toThrow(/incorrect passphrase/);

    // An update through the Automation API, as desa runs it: a secret output is encrypted with the salt's key.
    const { automation } = await import('@pulumi/pulumi');
    const pulumiSdk = await import('@pulumi/pulumi');
    const stack = await automation.LocalWorkspace.selectStack(
      { stackName: 'by-desa', projectName: 'desa', program: async () => ({ token: pulumiSdk.secret('keluar') }) },
      { workDir: work, pulumiCommand: await automation.PulumiCommand.get({ root: cliRoot, skipVersionCheck: true }), envVars: env },
    );
    await stack.up();
    const state = JSON.parse(readFileSync(join(backend, '.pulumi', 'stacks', 'desa', 'by-desa.json'), 'utf8'));
    const root = (state.checkpoint.latest.resources as { type: string; outputs: Record<string, { ciphertext?: string }> }[]).find((r) => r.type === 'pulumi:pulumi:Stack')!;
    expect(decryptValue(key, root.outputs.token!.ciphertext!)).toBe('"keluar"');
    await stack.destroy();
    pulumi(['stack', 'rm', '--yes', '--stack', 'by-desa'], work);
    expect(pulumi(['stack', 'ls', '--json'], work)).not.toContain('by-desa');
  });
});

describe('opening stacks through the adapter', () => {
  it('a new stack of a file backend costs one CLI process, its update: no stack init, no stack select; an existing one no select either', async () => {
    const engine = await findEngine();
    const root = mkdtempSync(join(tmpdir(), 'desa-open-'));
    // The engine as desa finds it, behind a wrapper that logs every command it is given.
    const log = join(root, 'commands.log');
    mkdirSync(join(root, 'cli', 'bin'), { recursive: true });
    const wrapper = join(root, 'cli', 'bin', 'pulumi');
    writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${join(engine.cliRoot, 'bin', 'pulumi')}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    // desa's default: a file backend and a generated passphrase file beside desa.yaml's state.
    const env: NodeJS.ProcessEnv = { ...process.env, DESA_STATE_DIR: join(root, '.desa') };
    delete env.PULUMI_BACKEND_URL;
    delete env.PULUMI_CONFIG_PASSPHRASE;
    delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
    const dirs = stateDirs(join(root, 'desa.yaml'), env);
    const o = { dirs, engine: { cliRoot: join(root, 'cli'), pulumiHome: engine.pulumiHome }, env, program: async () => ({ n: 1 }) };
    const commands = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l && l !== 'version') : []);

    // A new backend: the engine lays it out (the first stack through `stack init`).
    const first = await openStack({ ...o, stack: 'first', exists: false });
    expect(commands().filter((c) => c.startsWith('stack init'))).toHaveLength(1);
    expect((await runOperation(first, 'up')).ok).toBe(true);

    const before = commands().length;
    const second = await openStack({ ...o, stack: 'second', exists: false });
    expect(commands().slice(before)).toEqual([]);
    const r = await runOperation(second, 'up');
    expect(r.ok).toBe(true);
    expect(commands().slice(before).map((c) => c.split(' ')[0])).toEqual(['up']);
    expect(existsSync(join(dirs.backend, '.pulumi', 'stacks', 'desa', 'second.json'))).toBe(true);

    const again = commands().length;
    const known = await openStack({ ...o, stack: 'second', exists: true });
    expect(commands().slice(again)).toEqual([]);
    expect((await runOperation(known, 'destroy')).ok).toBe(true);
  });
});
