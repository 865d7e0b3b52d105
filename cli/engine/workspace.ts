// The Automation API behind a few verbs: open a stack (inline program, file backend, one work directory
// per stack), set its configuration, recover a lock left by a killed run, and run `up`. No output here
// beyond what the caller's callbacks print; errors are returned as data by `upStack`.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import type { ConfigMap, EngineEvent, PulumiCommand, PulumiFn, Stack } from '@pulumi/pulumi/automation/index.js';
import { AbortError, EXIT } from '../errors.ts';
import type { StateDirs } from './paths.ts';
import { defaultContext, findTools, verdict } from './toolchain.ts';

export const PROJECT = 'desa';

/** Where the engine lives: the Pulumi CLI's root (root/bin/pulumi) and the PULUMI_HOME holding the plugin. */
export interface Engine {
  cliRoot: string;
  pulumiHome: string;
}

/** Finds the Pulumi CLI and the kubernetes plugin with toolchain.ts; a usage error naming the fix if absent. */
export async function findEngine(env: NodeJS.ProcessEnv = process.env): Promise<Engine> {
  const tools = await findTools(defaultContext(env));
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
}

let command: Promise<PulumiCommand> | undefined;

export async function openStack(o: OpenOptions): Promise<Stack> {
  command ??= pulumi.automation.PulumiCommand.get({ root: o.engine.cliRoot, skipVersionCheck: true });
  const workDir = join(o.dirs.work, o.stack);
  mkdirSync(workDir, { recursive: true });
  mkdirSync(o.dirs.backend, { recursive: true });
  return pulumi.automation.LocalWorkspace.createOrSelectStack(
    { stackName: o.stack, projectName: PROJECT, program: o.program },
    {
      workDir,
      pulumiCommand: await command,
      projectSettings: { name: PROJECT, runtime: 'nodejs', backend: { url: `file://${o.dirs.backend}` } },
      envVars: {
        PULUMI_HOME: o.engine.pulumiHome,
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
        PULUMI_SKIP_UPDATE_CHECK: 'true',
        ...passphraseEnv(o.dirs.passphraseFile, o.env),
      },
    },
  );
}

/** Config values as the Automation API takes them: objects as JSON (Config.getObject parses them). */
export function toConfigMap(values: Record<string, unknown>): ConfigMap {
  const out: ConfigMap = {};
  for (const [k, v] of Object.entries(values)) out[k] = { value: typeof v === 'string' ? v : JSON.stringify(v) };
  return out;
}

/** A lock file's recorded owner, when it names one. */
export function parseLock(text: string): { pid: number; hostname: string | undefined } | null {
  try {
    const j = JSON.parse(text) as { pid?: unknown; hostname?: unknown };
    return typeof j.pid === 'number' && j.pid > 0 ? { pid: j.pid, hostname: typeof j.hostname === 'string' ? j.hostname : undefined } : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files of `stack` whose process, on this host, is gone. Locks without pid, or from another host, are left alone. */
export function staleLocks(backend: string, stack: string, host = hostname(), isAlive = alive): string[] {
  const dir = join(backend, '.pulumi', 'locks', 'organization', PROJECT, stack);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names
    .map((n) => join(dir, n))
    .filter((f) => {
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch {
        return false;
      }
      const lock = parseLock(text);
      return lock !== null && (lock.hostname === undefined || lock.hostname === host) && !isAlive(lock.pid);
    });
}

export interface Changes {
  create: number;
  update: number;
  delete: number;
  same: number;
}

export type UpOutcome = { ok: true; changes: Changes } | { ok: false; changes: Changes | null; error: string };

/** `up`, with the first error diagnostic (or the error's first line) as the failure message. */
export async function upStack(stack: Stack, onEvent?: (e: EngineEvent) => void): Promise<UpOutcome> {
  let diagnostic: string | undefined;
  const listen = (e: EngineEvent) => {
    const d = e.diagnosticEvent;
    if (d && d.severity === 'error' && diagnostic === undefined) {
      diagnostic = d.message.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
    }
    onEvent?.(e);
  };
  try {
    const r = await stack.up({ onEvent: listen });
    return { ok: true, changes: countChanges(r.summary.resourceChanges) };
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n').map((l) => l.trim()).find((l) => l.length > 0);
    return { ok: false, changes: null, error: diagnostic ?? first ?? 'failed' };
  }
}

export function countChanges(rc: Record<string, number> | undefined): Changes {
  const n = (k: string) => rc?.[k] ?? 0;
  // Replacements count as updates: the resource is there before and after.
  return { create: n('create'), update: n('update') + n('replace'), delete: n('delete'), same: n('same') };
}
