// What desa needs on this machine and where each piece was found: the project's Node.js, the Pulumi CLI,
// the kubernetes resource plugin, the local control plane's binaries, Go (to build what is missing) and
// Chromium (tests). Plain functions over an explicit context (environment, project root, cache) so tests
// point them at temp folders holding fake executables.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir, ROOT } from '../paths.ts';
import { attempt } from '../process.ts';
import { byService, debianPackages } from '../servers/table.ts';
import { withSbin } from '../servers/system.ts';
import { builtBinary, buildInProgress, clusterBinaries, isExecutable, type Pins, pinnedVersion, readPins, which } from './pins.ts';

export interface ToolchainContext {
  env: NodeJS.ProcessEnv;
  /** The desa checkout: node_modules, toolchain/versions.env. */
  root: string;
  /** $DESA_CACHE: built tools under toolchain/, the built plugin under pulumi-home/. */
  cache: string;
  home: string;
}

export function defaultContext(env: NodeJS.ProcessEnv = process.env): ToolchainContext {
  return { env, root: ROOT, cache: cacheDir(env), home: homedir() };
}

export interface ToolReport {
  id: string;
  name: string;
  /** Needed for `desa up`; a missing required tool makes `desa doctor` fail. */
  required: boolean;
  found: boolean;
  version: string | null;
  path: string | null;
  /** Where it came from: node_modules, PATH, cache (built by toolchain/build.sh), $PULUMI_HOME, ~/.pulumi, ... */
  source: string | null;
  /** Why it matters, or a caveat about what was found. */
  note?: string;
  /** What to do when it is missing. */
  fix?: string;
}

/** Runs `file args` and returns the first match of `pattern` in its output (stdout, then stderr), or null. */
export async function probeVersion(file: string, args: string[], pattern: RegExp, env: NodeJS.ProcessEnv): Promise<string | null> {
  const r = await attempt(file, args, { env, cwd: tmpdir(), timeout: 20_000 });
  const m = pattern.exec(`${r.stdout}\n${r.stderr}`);
  return m ? (m[1] ?? m[0]) : null;
}

const SEMVER = /v?\d+\.\d+\.\d+[\w.+-]*/;

/** The kubernetes plugin version @pulumi/kubernetes asks the engine for (package.json `pulumi.version`). */
export function kubernetesPluginVersion(root: string): string | null {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'node_modules/@pulumi/kubernetes/package.json'), 'utf8'));
    const v = pkg?.pulumi?.version;
    return typeof v === 'string' ? v.replace(/^v/, '') : null;
  } catch {
    return null;
  }
}

/** Plugin folders the engine may use: $PULUMI_HOME (else ~/.pulumi), then the cache's pulumi-home. */
export function pluginHomes(ctx: ToolchainContext): { dir: string; source: string }[] {
  const user = ctx.env.PULUMI_HOME
    ? { dir: join(ctx.env.PULUMI_HOME, 'plugins'), source: '$PULUMI_HOME' }
    : { dir: join(ctx.home, '.pulumi', 'plugins'), source: '~/.pulumi' };
  return [user, { dir: join(ctx.cache, 'pulumi-home', 'plugins'), source: 'cache' }];
}

export function findKubernetesPlugin(ctx: ToolchainContext, version: string): { path: string; source: string } | null {
  for (const home of pluginHomes(ctx)) {
    const dir = join(home.dir, `resource-kubernetes-v${version}`);
    if (existsSync(dir) && statSync(dir).isDirectory() && !existsSync(`${dir}.partial`)) return { path: dir, source: home.source };
  }
  return null;
}

const BUILD_ENGINE = 'toolchain/build.sh engine (about 27 min the first time, needs Go)';

async function nodeReports(ctx: ToolchainContext): Promise<ToolReport[]> {
  const own = join(ctx.root, 'node_modules', '.bin', 'node');
  const ownFound = isExecutable(own);
  const onPath = which('node', ctx.env);
  const [ownVersion, pathVersion] = await Promise.all([
    ownFound ? probeVersion(own, ['--version'], SEMVER, ctx.env) : null,
    onPath ? probeVersion(onPath, ['--version'], SEMVER, ctx.env) : null,
  ]);
  const project: ToolReport = {
    id: 'node',
    name: 'Node.js (project)',
    required: true,
    found: ownFound,
    version: ownVersion,
    path: ownFound ? own : null,
    source: ownFound ? 'node_modules' : null,
    note: 'bin/desa always runs on this one, whatever `node` is on PATH',
  };
  if (!ownFound) project.fix = 'Run `npm ci` in the desa folder: it installs Node.js 24 into node_modules.';
  const path: ToolReport = {
    id: 'node-path',
    name: 'Node.js (PATH)',
    required: false,
    found: onPath !== null,
    version: pathVersion,
    path: onPath,
    source: onPath ? 'PATH' : null,
    note: 'not used by desa (only by npm itself)',
  };
  return [project, path];
}

async function pulumiReports(ctx: ToolchainContext, pins: Pins, o: { probe: boolean } = { probe: true }): Promise<ToolReport[]> {
  const pinned = pins.PULUMI_VERSION ?? '';
  const env = { ...ctx.env, PULUMI_SKIP_UPDATE_CHECK: 'true' };
  const onPath = which('pulumi', ctx.env);
  const built = builtBinary(ctx.cache, pins, 'pulumi');
  const cli = onPath ?? (isExecutable(built) ? built : null);
  const cliReport: ToolReport = {
    id: 'pulumi',
    name: 'Pulumi CLI',
    required: true,
    found: cli !== null,
    version: cli && o.probe ? await probeVersion(cli, ['version'], SEMVER, env) : null,
    path: cli,
    source: cli === null ? null : onPath ? 'PATH' : 'cache',
  };
  if (cli === null) {
    cliReport.fix = `Install Pulumi (https://www.pulumi.com/docs/install/), or build the pinned ${pinned}: ${BUILD_ENGINE}.`;
    if (buildInProgress(ctx.cache, 'pulumi')) cliReport.note = `a build of ${pinned} is in progress in ${join(ctx.cache, 'toolchain')}`;
  }

  const hostName = 'pulumi-language-nodejs';
  const host =
    which(hostName, ctx.env) ??
    [cli ? join(cli, '..', hostName) : '', builtBinary(ctx.cache, pins, hostName)].find(
      (f) => f && isExecutable(f),
    ) ??
    null;
  const hostReport: ToolReport = {
    id: hostName,
    name: 'Pulumi Node.js language host',
    required: false,
    found: host !== null,
    version: host ? await probeVersion(host, ['-version'], SEMVER, env) : null,
    path: host,
    source: host === null ? null : which(hostName, ctx.env) === host ? 'PATH' : 'beside the Pulumi CLI',
    note: 'not needed: desa runs its Pulumi programs inline through the Automation API, which hosts them itself',
  };

  const version = kubernetesPluginVersion(ctx.root);
  const plugin = version ? findKubernetesPlugin(ctx, version) : null;
  const pluginReport: ToolReport = {
    id: 'kubernetes-plugin',
    name: 'Pulumi kubernetes resource plugin',
    required: true,
    found: plugin !== null,
    version: version ? `v${version}` : null,
    path: plugin?.path ?? null,
    source: plugin?.source ?? null,
    note: 'the engine loads exactly the version @pulumi/kubernetes names (package.json pulumi.version)',
  };
  if (!version) pluginReport.fix = 'Run `npm ci`: @pulumi/kubernetes is missing from node_modules.';
  else if (!plugin) {
    const homes = pluginHomes(ctx).map((h) => h.dir);
    pluginReport.fix =
      `Looked for resource-kubernetes-v${version} in ${homes.join(' and ')}. Build and install it: ${BUILD_ENGINE}` +
      (onPath ? `, or with your Pulumi: pulumi plugin install resource kubernetes v${version}` : '') +
      '.';
  }
  if (version && pins.PULUMI_KUBERNETES_VERSION && pins.PULUMI_KUBERNETES_VERSION !== `v${version}`) {
    pluginReport.note = `toolchain/versions.env pins ${pins.PULUMI_KUBERNETES_VERSION} but @pulumi/kubernetes needs v${version}`;
  }
  return [cliReport, hostReport, pluginReport];
}

function clusterReports(ctx: ToolchainContext, pins: Pins): ToolReport[] {
  return clusterBinaries(ctx.cache, pins).map((b, i) => {
    const found = isExecutable(b.path);
    const r: ToolReport = {
      id: b.name,
      name: b.name,
      required: true,
      found,
      version: b.version,
      path: found ? b.path : null,
      source: found ? 'cache' : null,
    };
    if (i === 0) r.note = 'this and the next five run the local cluster (desa cluster up)';
    if (!found) r.fix = `Run \`desa cluster up\`: it builds the missing binaries into ${join(ctx.cache, 'toolchain')} (toolchain/build.sh cluster, about 16 min the first time, needs Go).`;
    return r;
  });
}

async function goReport(ctx: ToolchainContext): Promise<ToolReport> {
  const go = which('go', ctx.env);
  const r: ToolReport = {
    id: 'go',
    name: 'Go',
    required: false,
    found: go !== null,
    // GOTOOLCHAIN=local: never let `go version` fetch a toolchain.
    version: go ? await probeVersion(go, ['version'], /go(\d+\.\d+(\.\d+)?)/, { ...ctx.env, GOTOOLCHAIN: 'local' }) : null,
    path: go,
    source: go ? 'PATH' : null,
    note: 'needed only to build missing pieces (toolchain/build.sh; Go 1.24 or newer)',
  };
  if (!go) r.fix = 'Install Go 1.24 or newer (https://go.dev/dl/) if a piece above must be built.';
  return r;
}

async function chromiumReport(ctx: ToolchainContext): Promise<ToolReport> {
  const fromEnv = ctx.env.DESA_CHROMIUM;
  const path = fromEnv ?? which('chromium', ctx.env) ?? which('chromium-browser', ctx.env);
  const found = path !== null && isExecutable(path);
  const r: ToolReport = {
    id: 'chromium',
    name: 'Chromium',
    required: false,
    found,
    version: found ? await probeVersion(path, ['--version'], /\d+\.\d+\.\d+\.\d+/, ctx.env) : null,
    path: found ? path : null,
    source: found ? (fromEnv ? '$DESA_CHROMIUM' : 'PATH') : null,
    note: 'tests only: renders the HTML report',
  };
  if (!found) r.fix = "Install Debian's chromium package (npm test does, as root), or set DESA_CHROMIUM=/path/to/chrome.";
  return r;
}

/** The local servers desa up points the platform at (cli/servers/table.ts): not required, the stacks provision without them. */
async function serverReports(ctx: ToolchainContext, pins: Pins): Promise<ToolReport[]> {
  const apt = `as root, apt-get install ${debianPackages().join(' ')} (npm start does)`;
  const sbin = withSbin(ctx.env);
  return Promise.all(
    byService().map(async (s): Promise<ToolReport> => {
      const note = `local server for desa up: ${s.purpose}`;
      if ('build' in s.install) {
        const path = builtBinary(ctx.cache, pins, s.install.build);
        const found = isExecutable(path);
        const fix = `sh toolchain/build.sh services (about 4 min; npm start does)`;
        return { id: s.name, name: s.title, required: false, found, version: found ? pinnedVersion(pins, s.install.build) : null, path: found ? path : null, source: found ? 'cache' : null, note, ...(found ? {} : { fix }) };
      }
      const path = s.version ? which(s.version.command, sbin) : null;
      const version = path && s.version ? await probeVersion(path, [...s.version.args], s.version.pattern, sbin) : null;
      return { id: s.name, name: s.title, required: false, found: path !== null, version, path, source: path ? 'PATH' : null, note, ...(path ? {} : { fix: apt }) };
    }),
  );
}

/** What the engine needs, and only that (the Pulumi CLI, the kubernetes plugin): what `desa up` looks for. */
/**
 * The engine's tools, found but not run: whoever runs the engine learns its version then (the Automation
 * API's PulumiCommand runs `pulumi version` itself), so asking here too was a second engine process
 * (about 0.15 s) at the start of every run that opens a stack.
 */
export async function engineTools(ctx: ToolchainContext = defaultContext()): Promise<ToolReport[]> {
  return pulumiReports(ctx, readPins(ctx.root), { probe: false });
}

/** Everything desa looks for, in the order `desa doctor` lists it. */
export async function findTools(ctx: ToolchainContext = defaultContext()): Promise<ToolReport[]> {
  const pins = readPins(ctx.root);
  const [node, pulumi, go, chromium, servers] = await Promise.all([nodeReports(ctx), pulumiReports(ctx, pins), goReport(ctx), chromiumReport(ctx), serverReports(ctx, pins)]);
  return [...node, ...pulumi, ...clusterReports(ctx, pins), ...servers, go, chromium];
}

/** Whether `desa up` has what it needs: every required tool found. */
export function verdict(tools: ToolReport[]): { ok: boolean; missing: string[] } {
  const missing = tools.filter((t) => t.required && !t.found).map((t) => t.id);
  return { ok: missing.length === 0, missing };
}

/** Plain lines for a terminal: one per tool, with what to do when something is missing. */
export function formatTools(tools: ToolReport[]): string[] {
  const width = Math.max(...tools.map((t) => t.name.length));
  const lines: string[] = [];
  for (const t of tools) {
    const mark = t.found ? 'ok     ' : t.required ? 'MISSING' : 'absent ';
    const where = t.found ? `${t.version ?? 'version unknown'}  ${t.path}  (${t.source})` : t.required ? 'needed for desa up' : 'optional';
    lines.push(`${mark}  ${t.name.padEnd(width)}  ${where}`);
    if (t.note) lines.push(`${' '.repeat(width + 11)}${t.note}`);
    if (!t.found && t.fix) lines.push(`${' '.repeat(width + 11)}→ ${t.fix}`);
  }
  return lines;
}
