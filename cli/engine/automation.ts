// The Automation API adapter: every call desa makes into the Pulumi engine is here. Find the engine,
// build the one environment it runs with, open a stack (inline program, one work directory per stack),
// write its configuration, recover from a run that was killed, and run up / preview / destroy with the
// outcome as data. No output here beyond what the caller's callbacks print.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type * as pulumi from '@pulumi/pulumi';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { EngineEvent, PulumiCommand, PulumiFn, Stack } from '@pulumi/pulumi/automation/index.js';
import { AbortError, EXIT } from '../../core/errors.ts';
import { cacheDir, PROJECT, type StateDirs } from '../paths.ts';
import { backendAt } from './checkpoint.ts';
import type { BackendStore } from './backend-store.ts';
import { latestIn, lockHoldersIn, staleHolders } from './backend-state.ts';
import { canCreateDirectly, enginePassphrase, initialCheckpoint, newEncryptionSalt, writeNewCheckpoint } from './new-stack.ts';
import { causeOf, type Diagnostic, protectedDeletes, type Step, stepOf } from './diagnostics.ts';
import type { Changes, Operation } from './progress.ts';
import { defaultContext, engineTools, verdict } from '../toolchain/doctor.ts';

/** Where the engine lives: the Pulumi CLI's root (root/bin/pulumi) and the PULUMI_HOME holding the plugin. */
export interface Engine {
  cliRoot: string;
  pulumiHome: string;
}

/** Finds the Pulumi CLI and the kubernetes plugin (cli/toolchain/doctor.ts); a usage error naming the fix if absent. */
export async function findEngine(env: NodeJS.ProcessEnv = process.env): Promise<Engine> {
  const tools = await engineTools(defaultContext(env));
  const cli = tools.find((t) => t.id === 'pulumi');
  const plugin = tools.find((t) => t.id === 'kubernetes-plugin');
  const missing = [cli, plugin].filter((t) => !t?.found);
  if (!cli?.path || !plugin?.path || missing.length > 0) {
    throw new AbortError(`The Pulumi engine is incomplete: ${verdict(tools).missing.join(', ')} missing.`, {
      exitCode: EXIT.operationFailed,
      nextStep: missing.map((t) => t?.fix).filter(Boolean).join('\n') || 'Run `desa doctor`.',
    });
  }
  // cli: <root>/bin/pulumi; plugin: <home>/plugins/resource-kubernetes-vX.
  return { cliRoot: dirname(dirname(cli.path)), pulumiHome: dirname(dirname(plugin.path)) };
}

/**
 * Where the secrets passphrase comes from: the caller's PULUMI_CONFIG_PASSPHRASE(_FILE) when set, else a
 * random one generated once into `file` (mode 0600) and reused. The value itself is never returned.
 */
export function passphraseEnv(file: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return {};
  if (env.PULUMI_CONFIG_PASSPHRASE_FILE) return { PULUMI_CONFIG_PASSPHRASE_FILE: env.PULUMI_CONFIG_PASSPHRASE_FILE };
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    // 'wx': never overwrite one written meanwhile; mode applies on creation.
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return { PULUMI_CONFIG_PASSPHRASE_FILE: file };
}

export interface OpenOptions {
  stack: string;
  dirs: StateDirs;
  engine: Engine;
  program: PulumiFn;
  env?: NodeJS.ProcessEnv;
  /** Added to the engine's environment for this stack's operations only (a rotation's PULUMI_K8S_ENABLE_SECRET_MUTABLE). */
  extraEnv?: Record<string, string>;
  /**
   * Whether the backend already holds the stack, when the caller read it. Known: no `pulumi stack select`
   * (a CLI process, about 0.15 s of CPU, that only checks what the caller read), and a new stack of a file
   * backend is created by desa (new-stack.ts: about 0.4 s of CPU per new desa, one key derivation per run
   * instead), else with one `pulumi stack init`. Unknown: select, then create.
   */
  exists?: boolean;
}

/**
 * The Pulumi CLI as desa runs it: in a session of its own (setsid), so that a Ctrl-C at the terminal
 * reaches desa alone and desa asks each running update to stop exactly once (a second SIGINT makes the
 * CLI abandon its work). A two-line wrapper in the cache; the CLI itself when setsid is not there.
 */
export function sessionRoot(engine: Engine, env: NodeJS.ProcessEnv = process.env): string {
  const setsid = (env.PATH ?? '').split(delimiter).map((d) => join(d, 'setsid')).find((f) => existsSync(f));
  if (!setsid) return engine.cliRoot;
  const cli = join(engine.cliRoot, 'bin', 'pulumi');
  const root = join(cacheDir(env), 'pulumi-session', createHash('sha256').update(cli).digest('hex').slice(0, 12));
  const wrapper = join(root, 'bin', 'pulumi');
  const text = `#!/bin/sh\n# Written by desa: the Pulumi CLI in its own session (see cli/engine/automation.ts).\nexec ${setsid} '${cli.replaceAll("'", "'\\''")}' "$@"\n`;
  if (!existsSync(wrapper) || readFileSync(wrapper, 'utf8') !== text) {
    mkdirSync(dirname(wrapper), { recursive: true });
    writeFileSync(wrapper, text);
    chmodSync(wrapper, 0o755);
  }
  return root;
}

/** The backend: the caller's PULUMI_BACKEND_URL when set (S3, Pulumi Cloud, …), else the file backend beside desa.yaml. */
export function backendUrl(dirs: StateDirs, env: NodeJS.ProcessEnv = process.env): string {
  return backendAt(dirs.backend, env).url;
}

/** The passphrase settings, without generating a passphrase (passphraseEnv does when its file is absent). */
export function existingPassphrase(dirs: StateDirs, env: NodeJS.ProcessEnv): Record<string, string> | null {
  const given = env.PULUMI_CONFIG_PASSPHRASE !== undefined || Boolean(env.PULUMI_CONFIG_PASSPHRASE_FILE);
  return given || existsSync(dirs.passphraseFile) ? passphraseEnv(dirs.passphraseFile, env) : null;
}

/**
 * The one environment every engine process of desa gets: its PULUMI_HOME (the plugin), no plugin
 * download, no update check, the backend, and the passphrase (generated once when `generatePassphrase`).
 */
export function engineEnv(dirs: StateDirs, engine: Engine, env: NodeJS.ProcessEnv, o: { generatePassphrase: boolean }): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: backendUrl(dirs, env),
    PULUMI_HOME: engine.pulumiHome,
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    ...(o.generatePassphrase ? passphraseEnv(dirs.passphraseFile, env) : existingPassphrase(dirs, env)),
  };
}

const commands = new Map<string, Promise<PulumiCommand>>();

/** @pulumi/pulumi, loaded on first use (0.7 s): a no-change `desa up` opens no stack and never needs it. */
const sdk = () => import('@pulumi/pulumi');

function pulumiCommand(root: string): Promise<PulumiCommand> {
  let command = commands.get(root);
  if (!command) commands.set(root, (command = sdk().then((p) => p.automation.PulumiCommand.get({ root, skipVersionCheck: true }))));
  return command;
}

/**
 * Set once in this process, when it opens its first stack: a run that opens stacks lives for minutes and
 * hosts every program inline.
 * - The heap: such a run makes garbage steadily (engine events, gRPC messages), of which little stays
 *   live. V8's default lets the old generation grow fourfold between full collections, so the process held
 *   620 MiB by 120 desa, four fifths of it garbage. Growing it by 30% instead holds it at 370 MiB at the
 *   same speed. Only here: a short command that keeps what it allocates (a national report) is a third
 *   slower with it.
 * - The SDK's debug messages: its runtime logs about six per resource ("Registering resource …",
 *   "RegisterResource RPC prepared", "… finished", …), and sends each to the engine as a gRPC call, one
 *   at a time for all the stacks of the process; the engine turns each into an event and sends it back.
 *   They are shown only by `pulumi up --debug`, which desa never runs, and nothing here reads them.
 *   Dropped at the source, 41 new desa took 14% less CPU and 13% less wall time. Warnings, errors and
 *   info from a program still reach the engine.
 */
let processPrepared = false;
async function prepareProcessForStacks(): Promise<void> {
  if (processPrepared) return;
  processPrepared = true;
  setFlagsFromString('--heap-growing-percent=30');
  // The SDK's own modules call `log.debug` through this module object, so they see the replacement.
  const { log } = await sdk();
  Object.assign(log, { debug: () => Promise.resolve() });
}

export async function openStack(o: OpenOptions): Promise<Stack> {
  await prepareProcessForStacks();
  const env = o.env ?? process.env;
  const workDir = join(o.dirs.work, o.stack);
  mkdirSync(workDir, { recursive: true });
  const url = backendUrl(o.dirs, env);
  if (url.startsWith('file://')) mkdirSync(url.slice('file://'.length), { recursive: true });
  const { LocalWorkspace } = (await sdk()).automation;
  const args = { stackName: o.stack, projectName: PROJECT, program: o.program };
  const envVars = { ...engineEnv(o.dirs, o.engine, env, { generatePassphrase: true }), ...o.extraEnv };
  // The first stack of a run waits for `pulumi version`, and a new one for its salt's key: side by side.
  const command = pulumiCommand(sessionRoot(o.engine, env));
  if (o.exists === false && url.startsWith('file://')) void runSalt({ ...process.env, ...envVars })?.catch(() => {});
  const opts = { workDir, pulumiCommand: await command, projectSettings: { name: PROJECT, runtime: 'nodejs' as const, backend: { url } }, envVars };
  let stack: Stack;
  if (o.exists === true || (o.exists === false && (await createDirectly(o, opts)))) {
    stack = await selectKnown(args, opts);
  } else if (o.exists === false) {
    try {
      stack = await LocalWorkspace.createStack(args, opts);
    } catch (e) {
      // Created meanwhile by another runner: select it, as when it was known.
      if (!/already exists/.test(e instanceof Error ? e.message : String(e))) throw e;
      stack = await selectKnown(args, opts);
    }
  } else {
    stack = await LocalWorkspace.createOrSelectStack(args, opts);
  }
  // After every up and destroy, Stack reads the outputs twice and the history once: three more CLI
  // processes, about 1.3 s of CPU per stack, for results desa does not use (the changes come from the
  // engine's summary event; outputs are read from the state when asked for). Skip them.
  return Object.assign(stack, { outputs: async () => ({}), info: async () => undefined });
}

type StackArgs = { stackName: string; projectName: string; program: PulumiFn };
type WorkspaceOptions = { workDir: string; pulumiCommand: PulumiCommand; projectSettings: pulumi.automation.ProjectSettings; envVars: Record<string, string> };

/**
 * A stack the backend is known to hold, without `pulumi stack select`: a CLI process (about 0.15 s of CPU)
 * that only checks the stack is there and makes it the workspace's current one, which desa never uses:
 * every command the Automation API runs for a Stack names it (`--stack`).
 */
async function selectKnown(args: StackArgs, opts: WorkspaceOptions): Promise<Stack> {
  const { LocalWorkspace, Stack } = (await sdk()).automation;
  const ws = await LocalWorkspace.create({ ...opts, program: args.program });
  ws.selectStack = async () => {};
  return Stack.select(args.stackName, ws);
}

/** The encryption salt of the stacks this process creates, per passphrase (new-stack.ts): one key derivation per run. */
const salts = new Map<string, Promise<string>>();

/** This run's salt for the passphrase the engine will read (made on first use), or null when it has none. */
function runSalt(engineSees: NodeJS.ProcessEnv): Promise<string> | null {
  const phrase = enginePassphrase(engineSees);
  if (phrase === null) return null;
  const id = createHash('sha256').update(phrase).digest('hex');
  if (!salts.has(id)) salts.set(id, newEncryptionSalt(phrase));
  return salts.get(id)!;
}

/**
 * Creates a new stack of a file backend as `pulumi stack init` would, without it (new-stack.ts): its
 * checkpoint and its settings file's encryption salt. False when that is not exactly reproducible here
 * (another backend or layout, compressed state, a settings file that already has a salt, an unknown CLI
 * version or passphrase) or another runner created the stack meanwhile: the caller runs the CLI, or selects.
 */
async function createDirectly(o: OpenOptions, opts: WorkspaceOptions): Promise<boolean> {
  const backend = backendAt(o.dirs.backend, o.env ?? process.env);
  const engineSees = { ...process.env, ...opts.envVars };
  const version = opts.pulumiCommand.version;
  if (backend.kind !== 'file' || !version || !canCreateDirectly(backend.dir, engineSees)) return false;
  const settingsFile = join(opts.workDir, `Pulumi.${o.stack}.yaml`);
  const settings = existsSync(settingsFile) ? ((parseYaml(readFileSync(settingsFile, 'utf8')) ?? {}) as Record<string, unknown>) : {};
  if (settings.encryptionsalt || settings.secretsprovider || settings.encryptedkey) return false;
  const salt = await runSalt(engineSees);
  if (salt === null) return false;
  const body = initialCheckpoint({ project: PROJECT, stack: o.stack, salt, version: version.toString() });
  if (!writeNewCheckpoint(backend.dir, PROJECT, o.stack, body)) return true; // created meanwhile: select it
  writeFileSync(settingsFile, stringifyYaml({ encryptionsalt: salt, ...settings }));
  return true;
}

/** A workspace for listing and exporting stacks of any backend (no program runs in it). */
export async function listingWorkspace(dirs: StateDirs, engine: Engine, env: NodeJS.ProcessEnv): Promise<pulumi.automation.LocalWorkspace> {
  const workDir = join(dirs.work, '.list');
  mkdirSync(workDir, { recursive: true });
  return (await sdk()).automation.LocalWorkspace.create({
    workDir,
    pulumiCommand: await pulumiCommand(engine.cliRoot),
    projectSettings: { name: PROJECT, runtime: 'nodejs' },
    envVars: engineEnv(dirs, engine, env, { generatePassphrase: false }),
  });
}

/** The engine's own `error: …` line from a failed CLI run (the message starts with "code: …"), else the first line. */
export function engineError(e: unknown): string {
  const lines = (e instanceof Error ? e.message : String(e)).split('\n').map((l) => l.trim());
  return lines.map((l) => /(?:^|\s)error: (.+)$/.exec(l)?.[1]).find(Boolean) ?? lines.find((l) => l.length > 0) ?? 'failed';
}

/**
 * The stack's settings file, or none yet: a runner that never opened a stack the backend already holds
 * (a fresh CI machine, another shard) selects it without one. Its encryption salt then comes from the
 * state, where the engine keeps the secrets provider too.
 */
async function settingsOrNone(stack: Stack): Promise<pulumi.automation.StackSettings> {
  try {
    return await stack.workspace.stackSettings(stack.name);
  } catch (e) {
    if (/failed to find stack settings file/.test(e instanceof Error ? e.message : String(e))) return {};
    throw e;
  }
}

/**
 * Sets configuration values of the stack (plain values; objects as JSON, which Config.getObject parses)
 * in its settings file, as `pulumi config set-all` would: other keys (set by hand with `pulumi config`)
 * and what Pulumi put there (the encryption salt) are kept. No CLI process; unchanged files are not
 * rewritten.
 */
export async function writeConfig(stack: Stack, values: Record<string, unknown>): Promise<void> {
  const ws = stack.workspace;
  const settings = await settingsOrNone(stack);
  const config = { ...(settings.config ?? {}) };
  let changed = false;
  for (const [k, v] of Object.entries(values)) {
    const value = typeof v === 'string' ? v : JSON.stringify(v);
    if (config[k] !== value) changed = true;
    config[k] = value;
  }
  if (changed) await ws.saveStackSettings(stack.name, { ...settings, config });
}

/** Removes configuration keys from the stack's settings file, when there. */
export async function unsetConfig(stack: Stack, keys: readonly string[]): Promise<void> {
  const ws = stack.workspace;
  const settings = await settingsOrNone(stack);
  const config = { ...(settings.config ?? {}) };
  if (!keys.some((k) => k in config)) return;
  for (const k of keys) delete config[k];
  await ws.saveStackSettings(stack.name, { ...settings, config });
}

/**
 * Makes a stack usable after a run that was killed: cancels a lock whose process is gone, and when
 * operations were left pending, refreshes with --clear-pending-creates (objects created meanwhile are
 * adopted by the next update: server-side apply upserts). Returns what was done, for a progress line.
 */
export async function recover(stack: Stack, store: BackendStore | null, signal?: AbortSignal): Promise<string | null> {
  // Other backends keep their own leases; only a file or S3 backend's lock objects and checkpoint are read here.
  if (store === null) return null;
  const done: string[] = [];
  if (staleHolders(await lockHoldersIn(store, stack.name)).length > 0) {
    await stack.cancel();
    done.push('cancelled the lock left by a run that was killed');
  }
  const pending = (await latestIn(store, stack.name))?.pending_operations?.length ?? 0;
  if (pending > 0) {
    await stack.refresh({ clearPendingCreates: true, ...(signal ? { signal } : {}) });
    done.push(`refreshed to clear ${pending} operation(s) it left pending`);
  }
  return done.length > 0 ? done.join('; ') : null;
}

export type Outcome =
  | { ok: true; changes: Changes; steps: Step[] }
  | {
      ok: false;
      changes: Changes | null;
      /** One line: the cause's first. */
      error: string;
      /** The engine's diagnostics for the failing resources, every line (diagnostics.ts causeOf). */
      cause: string[];
      /** Every error diagnostic and the CLI's whole output. */
      detail: string;
      cancelled: boolean;
      /** The steps that completed before it failed (a preview: every step it planned). */
      steps: Step[];
      /** Protected resources the change would have had to delete (URNs). */
      protectedDeletes: string[];
    };

export interface RunHooks {
  onEvent?: (e: EngineEvent) => void;
  signal?: AbortSignal;
  /** up, preview: refresh the state from the cluster first. */
  refresh?: boolean;
  /** destroy: keep protected resources (the desa's data). */
  excludeProtected?: boolean;
}

/**
 * Runs one operation; the changes come from the engine's summary event, the resources it changed from
 * its step events (planned ones for a preview, completed ones otherwise), the cause of a failure from
 * its error diagnostics.
 */
export async function runOperation(stack: Stack, op: Operation, hooks: RunHooks = {}): Promise<Outcome> {
  const diagnostics: Diagnostic[] = [];
  const steps = new Map<string, Step>();
  let summary: Record<string, number> | undefined;
  const onEvent = (e: EngineEvent) => {
    const d = e.diagnosticEvent;
    if (d && d.severity === 'error') diagnostics.push({ urn: d.urn, message: d.message });
    const planned = op === 'preview' ? e.resourcePreEvent : e.resOutputsEvent;
    const step = planned ? stepOf(planned.metadata) : null;
    if (step) steps.set(step.urn, step);
    if (e.summaryEvent) summary = e.summaryEvent.resourceChanges as Record<string, number>;
    hooks.onEvent?.(e);
  };
  const signal = hooks.signal ? { signal: hooks.signal } : {};
  try {
    if (op === 'up') await stack.up({ onEvent, ...signal, ...(hooks.refresh ? { refresh: true } : {}) });
    else if (op === 'preview') await stack.preview({ onEvent, ...signal, ...(hooks.refresh ? { refresh: true } : {}) });
    else if (op === 'refresh') await stack.previewRefresh({ onEvent, ...signal });
    else await stack.destroy({ onEvent, ...signal, ...(hooks.excludeProtected ? { excludeProtected: true } : {}) });
    return { ok: true, changes: countChanges(summary), steps: [...steps.values()] };
  } catch (e) {
    const cancelled = hooks.signal?.aborted === true;
    const cause = causeOf(diagnostics);
    const detail = [...diagnostics.map((d) => d.message.trim()), e instanceof Error ? e.message.trim() : String(e)].join('\n\n');
    return {
      ok: false,
      changes: summary ? countChanges(summary) : null,
      error: cancelled ? 'interrupted' : (cause[0] ?? engineError(e)),
      cause: cancelled ? [] : cause,
      detail,
      cancelled,
      steps: [...steps.values()],
      protectedDeletes: protectedDeletes([...diagnostics, { message: e instanceof Error ? e.message : String(e) }]),
    };
  }
}

export function countChanges(rc: Record<string, number> | undefined): Changes {
  const n = (k: string) => rc?.[k] ?? 0;
  // Replacements count as updates: the resource is there before and after.
  return { create: n('create'), update: n('update') + n('replace'), delete: n('delete'), same: n('same') };
}
