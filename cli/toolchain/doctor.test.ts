import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findKubernetesPlugin, findTools, formatTools, type ToolchainContext, verdict } from './doctor.ts';
import { buildInProgress, missingClusterBinaries, parseVersionsEnv, which } from './pins.ts';

const PINS = `# comment
PULUMI_VERSION=v3.250.0
PULUMI_COMMIT=
PULUMI_KUBERNETES_VERSION=v4.25.0
KUBERNETES_VERSION=v1.34.4
ETCD_VERSION=v3.6.16
KWOK_VERSION=v0.8.0
`;

/** An executable shell script that prints `output`. */
function fake(file: string, output: string): string {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `#!/bin/sh\necho '${output}'\n`);
  chmodSync(file, 0o755);
  return file;
}

/** A fake desa checkout, cache, home and PATH in a temp folder. */
function machine(): ToolchainContext & { bin: string } {
  const dir = mkdtempSync(join(tmpdir(), 'desa-toolchain-'));
  const root = join(dir, 'root');
  const bin = join(dir, 'bin');
  mkdirSync(join(root, 'toolchain'), { recursive: true });
  mkdirSync(bin);
  writeFileSync(join(root, 'toolchain/versions.env'), PINS);
  mkdirSync(join(root, 'node_modules/@pulumi/kubernetes'), { recursive: true });
  writeFileSync(join(root, 'node_modules/@pulumi/kubernetes/package.json'), JSON.stringify({ pulumi: { name: 'kubernetes', version: '4.25.0' } }));
  fake(join(root, 'node_modules/.bin/node'), 'v24.21.0');
  return { env: { PATH: bin }, root, cache: join(dir, 'cache'), home: join(dir, 'home'), bin };
}

function buildCluster(cache: string): void {
  const tc = join(cache, 'toolchain');
  fake(join(tc, 'etcd-v3.6.16/bin/etcd'), 'etcd');
  for (const b of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl']) fake(join(tc, 'kubernetes-v1.34.4/bin', b), b);
  fake(join(tc, 'kwok-v0.8.0/bin/kwok'), 'kwok');
}

const byId = (tools: Awaited<ReturnType<typeof findTools>>) => Object.fromEntries(tools.map((t) => [t.id, t]));

describe('parseVersionsEnv', () => {
  it('reads KEY=value lines and skips comments and blanks', () => {
    expect(parseVersionsEnv(PINS)).toMatchObject({ PULUMI_VERSION: 'v3.250.0', PULUMI_COMMIT: '', KWOK_VERSION: 'v0.8.0' });
    expect(parseVersionsEnv('# X=1\n\nA="b"\n')).toEqual({ A: 'b' });
  });
});

describe('which', () => {
  it('finds the first executable on PATH and skips non-executables and folders', () => {
    const m = machine();
    const other = join(m.bin, '..', 'other');
    writeFileSync(join(m.bin, 'tool'), 'not executable');
    mkdirSync(join(m.bin, 'dir-tool'));
    fake(join(other, 'tool'), 'x');
    expect(which('tool', { PATH: `${m.bin}:${other}` })).toBe(join(other, 'tool'));
    expect(which('dir-tool', { PATH: m.bin })).toBeNull();
    expect(which('tool', {})).toBeNull();
  });
});

describe('cluster binaries', () => {
  it('lists the missing ones by name, none once built', () => {
    const m = machine();
    const pins = parseVersionsEnv(PINS);
    expect(missingClusterBinaries(m.cache, pins)).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok']);
    buildCluster(m.cache);
    expect(missingClusterBinaries(m.cache, pins)).toEqual([]);
  });

  it('notices a build in progress only while its pid lives', () => {
    const m = machine();
    mkdirSync(join(m.cache, 'toolchain', `.build-pulumi-pid${process.pid}.abc`), { recursive: true });
    mkdirSync(join(m.cache, 'toolchain', '.build-kwok-pid999999999.abc'), { recursive: true });
    expect(buildInProgress(m.cache, 'pulumi')).toBe(true);
    expect(buildInProgress(m.cache, 'kwok')).toBe(false);
    expect(buildInProgress(join(m.cache, 'nowhere'), 'pulumi')).toBe(false);
  });
});

describe('findKubernetesPlugin', () => {
  it('looks in $PULUMI_HOME first, then the cache, and ignores a partial install', () => {
    const m = machine();
    expect(findKubernetesPlugin(m, '4.25.0')).toBeNull();
    const cached = join(m.cache, 'pulumi-home/plugins/resource-kubernetes-v4.25.0');
    mkdirSync(cached, { recursive: true });
    expect(findKubernetesPlugin(m, '4.25.0')).toEqual({ path: cached, source: 'cache' });
    const home = join(m.home, 'pulumi');
    const own = join(home, 'plugins/resource-kubernetes-v4.25.0');
    mkdirSync(own, { recursive: true });
    writeFileSync(`${own}.partial`, '');
    const ctx = { ...m, env: { ...m.env, PULUMI_HOME: home } };
    expect(findKubernetesPlugin(ctx, '4.25.0')).toEqual({ path: cached, source: 'cache' });
    mkdirSync(join(home, 'plugins/resource-kubernetes-v4.24.0'));
    expect(findKubernetesPlugin(ctx, '4.24.0')).toEqual({ path: join(home, 'plugins/resource-kubernetes-v4.24.0'), source: '$PULUMI_HOME' });
  });

  it('uses ~/.pulumi when PULUMI_HOME is unset', () => {
    const m = machine();
    const dir = join(m.home, '.pulumi/plugins/resource-kubernetes-v4.25.0');
    mkdirSync(dir, { recursive: true });
    expect(findKubernetesPlugin(m, '4.25.0')).toEqual({ path: dir, source: '~/.pulumi' });
  });
});

describe('findTools', () => {
  it('on a bare machine: only the project Node.js, every required piece missing with a fix', async () => {
    const m = machine();
    const tools = byId(await findTools(m));
    expect(tools.node).toMatchObject({ found: true, version: 'v24.21.0', source: 'node_modules', required: true });
    expect(tools['node-path']).toMatchObject({ found: false, required: false });
    expect(tools.pulumi).toMatchObject({ found: false, required: true });
    expect(tools.pulumi!.fix).toContain('toolchain/build.sh engine');
    expect(tools['kubernetes-plugin']).toMatchObject({ found: false, version: 'v4.25.0' });
    expect(tools['kubernetes-plugin']!.fix).toContain('resource-kubernetes-v4.25.0');
    expect(tools.kwok).toMatchObject({ found: false, required: true });
    expect(tools.kwok!.fix).toContain('desa cluster up');
    expect(tools.go).toMatchObject({ found: false, required: false });
    expect(tools.chromium).toMatchObject({ found: false, required: false });
    expect(tools['pulumi-language-nodejs']).toMatchObject({ found: false, required: false });
    expect(tools['pulumi-language-nodejs']!.note).toContain('not needed');
    expect(verdict(Object.values(tools))).toEqual({
      ok: false,
      missing: ['pulumi', 'kubernetes-plugin', 'etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok'],
    });
  });

  it('prefers a Pulumi on PATH to the cache build and reports versions and sources', async () => {
    const m = machine();
    buildCluster(m.cache);
    fake(join(m.cache, 'toolchain/pulumi-v3.250.0/bin/pulumi'), 'v3.250.0');
    mkdirSync(join(m.cache, 'pulumi-home/plugins/resource-kubernetes-v4.25.0'), { recursive: true });
    fake(join(m.bin, 'go'), 'go version go1.26.8 linux/amd64');
    fake(join(m.bin, 'chromium'), 'Chromium 156.0.8078.79 built on Debian');
    fake(join(m.bin, 'node'), 'v20.20.2');

    let tools = byId(await findTools(m));
    expect(tools.pulumi).toMatchObject({ found: true, version: 'v3.250.0', source: 'cache' });
    expect(tools.go).toMatchObject({ found: true, version: '1.26.8', source: 'PATH' });
    expect(tools.chromium).toMatchObject({ found: true, version: '156.0.8078.79' });
    expect(tools['node-path']).toMatchObject({ found: true, version: 'v20.20.2' });
    expect(tools.kubectl).toMatchObject({ found: true, version: 'v1.34.4', source: 'cache' });
    expect(verdict(Object.values(tools))).toEqual({ ok: true, missing: [] });

    fake(join(m.bin, 'pulumi'), 'v3.300.1');
    tools = byId(await findTools(m));
    expect(tools.pulumi).toMatchObject({ found: true, version: 'v3.300.1', source: 'PATH', path: join(m.bin, 'pulumi') });
  });

  it('takes Chromium from DESA_CHROMIUM', async () => {
    const m = machine();
    const chrome = fake(join(m.home, 'chrome'), 'Google Chrome 150.0.1.2');
    const tools = byId(await findTools({ ...m, env: { ...m.env, DESA_CHROMIUM: chrome } }));
    expect(tools.chromium).toMatchObject({ found: true, path: chrome, source: '$DESA_CHROMIUM', version: '150.0.1.2' });
  });
});

describe('formatTools', () => {
  it('marks missing required tools and prints their fix', async () => {
    const lines = formatTools(await findTools(machine())).join('\n');
    expect(lines).toMatch(/^ok {5} {2}Node\.js \(project\) +v24\.21\.0/m);
    expect(lines).toMatch(/^MISSING {2}Pulumi CLI +needed for desa up/m);
    expect(lines).toMatch(/^absent  {2}Go +optional/m);
    expect(lines).toContain('→ Run `desa cluster up`');
  });
});
