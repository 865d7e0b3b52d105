// stacks/index.ts loaded the way `pulumi up` loads it: @pulumi/pulumi's cmd/run/run.js, in a
// separate plain Node 24 process (its own type stripping, not vitest's transform), with the program
// directory and entry point the engine derives from `main: stacks/index.ts`, against the mock monitor.
// See test/fixtures/load-entry.ts and stacks/README.md for what this does not cover.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../test/fixtures/pulumi-mocks.ts';

const localNode = resolve(PROJECT_ROOT, 'node_modules/.bin/node');
const node = existsSync(localNode) ? localNode : process.execPath;

function load(stack: string, config: Record<string, string> = {}, env: Record<string, string> = {}) {
  const out = execFileSync(node, [resolve(PROJECT_ROOT, 'test/fixtures/load-entry.ts'), stack, JSON.stringify(config)], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('Pulumi.yaml', () => {
  const project = parse(readFileSync(resolve(PROJECT_ROOT, 'Pulumi.yaml'), 'utf8'));

  it('runs stacks/index.ts on Node.js without ts-node', () => {
    expect(project).toMatchObject({ name: 'desa', main: 'stacks/index.ts', runtime: { name: 'nodejs', options: { typescript: false, packagemanager: 'npm' } } });
    expect(JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'package.json'), 'utf8')).type).toBe('module');
  });
});

describe('run.js loading stacks/index.ts', () => {
  it('imports the TypeScript entry point and runs a desa stack from the project root', () => {
    const r = load('sumberjaya', {}, { DESA_TEST_ROOT_DIRECTORY: PROJECT_ROOT });
    expect(r.ok, r.error).toBe(true);
    expect(r.cwd).toBe(resolve(PROJECT_ROOT, 'stacks'));
    expect(r.host).toBe('sumberjaya.desa.bekasikab.go.id');
    expect(r.keys).toEqual(['bucket', 'host', 'mailPasswords', 'mailboxes', 'namespace', 'opensidAdmin', 'siteTemplate', 'storageCredentials', 'url']);
    expect(r.types).toContain('pulumi:pulumi:Stack');
    expect(r.types).toContain('kubernetes:apps/v1:Deployment');
  }, 60_000);

  it('records the cluster desa says this update goes to as the `cluster` output (issue 12)', () => {
    const cluster = JSON.stringify({ server: 'https://127.0.0.1:23793', uid: 'b7c1', local: true });
    const r = load('sumberjaya', { 'desa:cluster': cluster }, { DESA_TEST_ROOT_DIRECTORY: PROJECT_ROOT });
    expect(r.ok, r.error).toBe(true);
    expect(r.keys).toContain('cluster');
  }, 60_000);

  it('reads desa.yaml relative to the engine\'s root directory, not the working directory', () => {
    const r = load('sumberjaya', {}, { DESA_TEST_ROOT_DIRECTORY: '/nonexistent-root' });
    expect(r.ok).toBe(false);
    expect(r.error).toContain('/nonexistent-root/desa.yaml does not exist.');
  }, 60_000);

  it('runs the platform stack', () => {
    const config = {
      'desa:customResources': 'false',
      'desa:dns': JSON.stringify({ mode: 'existing' }),
    };
    const r = load('platform', config, { DESA_TEST_ROOT_DIRECTORY: PROJECT_ROOT });
    expect(r.ok, r.error).toBe(true);
    expect(r.keys).toContain('defaultCertificate');
    expect(r.types).toContain('desa:platform:Platform');
  }, 60_000);

  it('fails a stack that is no desa with the RunError message', () => {
    const r = load('nowhere', {}, { DESA_TEST_ROOT_DIRECTORY: PROJECT_ROOT });
    expect(r.ok).toBe(false);
    expect(r.error).toContain('Stack `nowhere` is neither `platform` nor the stack of a desa or kelurahan');
  }, 60_000);
});
