// `desa check`: what each desa was given (its stack's outputs) probed live on the servers that serve it,
// concurrently, then one readiness row per desa (model.ts), saved for `desa report` (last-check.ts).
// The servers are the local ones beside the embedded cluster (.desa/services/state.json); the
// credentials are the cluster's Secrets (credentials.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AbortError, EXIT } from '../../core/errors.ts';
import { DEFAULT_PLATFORM_NAMESPACE } from '../../core/contract.ts';
import { loadInventory } from '../../core/inventory/load.ts';
import type { Unit } from '../../core/inventory/model.ts';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { pool } from '../engine/run-loop.ts';
import { selectStacks } from '../engine/selection.ts';
import { otherCluster, readStackConfigFile } from '../engine/stack-config-file.ts';
import { readStates } from '../engine/state.ts';
import { stateDirs, type StateDirs } from '../paths.ts';
import { readLocalServices, type LocalServices } from '../servers/state.ts';
import { serversStatus } from '../servers/supervisor.ts';
import { TLS_FILES } from '../servers/tls-files.ts';
import { type Credentials, readCredentials } from './credentials.ts';
import { mergeCheck, readLastCheck, writeLastCheck } from './last-check.ts';
import { type CheckDocument, checkDocument, type Found, rowFor, type Targets, targetsFor, type Where } from './model.ts';
import { probeDns, probeHttp, probeImap, probeS3, probeTls, resolverFor } from './probes.ts';

export interface CheckOptions {
  file: string;
  only: string[];
  env: NodeJS.ProcessEnv;
  /** Told how many desa and probes before they run (a progress line). */
  onStart?: (units: number, probes: number) => void;
  /** How many probes at once (default 24). */
  concurrency?: number;
}

/** Which service each local server stands for, for the hint when a probe finds nothing listening. */
const SERVES = { pdns: 'dns', nginx: 'site', dovecot: 'mail', versitygw: 'storage' } as const;

/** Where the probes go on the local default, and which servers are known not to run. */
export function localWhere(s: LocalServices, statuses: readonly { name: string; state: string; reason: string | null }[]): Where {
  const down: Where['down'] = {};
  for (const st of statuses) {
    const service = SERVES[st.name as keyof typeof SERVES];
    if (service && st.state !== 'running') down[service] = `${st.name} is ${st.state}${st.reason ? `: ${st.reason}` : ''}; \`desa cluster status\`, then \`desa up\` starts it`;
  }
  const at = (port: number) => `127.0.0.1:${port}`;
  return {
    dns: at(s.ports.dns),
    web: at(s.ports.https),
    tls: at(s.ports.https),
    imap: at(s.ports.imaps),
    s3: `http://${at(s.ports.s3)}`,
    noTls: 'no TLS server to probe',
    scheme: 'https',
    down,
  };
}

function platformNamespace(dirs: StateDirs): string {
  const ns = readStackConfigFile(dirs, PLATFORM_STACK)['desa:platformNamespace'];
  return typeof ns === 'string' && ns ? ns : DEFAULT_PLATFORM_NAMESPACE;
}

type Task = () => Promise<void>;

/** The probes of one desa as tasks that fill `found`. */
function tasksFor(t: Targets, found: Found, where: Where, s: LocalServices, creds: Credentials | { error: string }, resolver: ReturnType<typeof resolverFor>, tls: { ca: string[]; mailHost: string }): Task[] {
  if (t.notProvisioned) return [];
  const tasks: Task[] = [];
  if (t.host) {
    const host = t.host;
    tasks.push(async () => void (found.dns = await probeDns(resolver, host)));
    tasks.push(async () => void (found.site = await probeHttp('127.0.0.1', s.ports.https, host, undefined, { ca: tls.ca })));
    if (where.tls) {
      const [address, port] = where.tls.split(':');
      tasks.push(async () => void (found.tls = await probeTls(address!, Number(port), host, { ca: tls.ca })));
    }
  }
  const noCreds = 'error' in creds ? ({ ok: false, code: 'CREDENTIALS', error: creds.error } as const) : null;
  found.mail = t.mailboxes.map((address) => ({ address, login: noCreds }));
  for (const box of found.mail) {
    const pass = noCreds ? undefined : (creds as Credentials).mailboxes.get(box.address);
    if (pass === undefined) continue;
    tasks.push(async () => void (box.login = await probeImap('127.0.0.1', s.ports.imaps, box.address, pass, undefined, { ca: tls.ca, servername: tls.mailHost })));
  }
  if (t.bucket) {
    const access = noCreds ? undefined : (creds as Credentials).buckets.get(t.slug);
    found.storage = noCreds ?? null;
    if (access) tasks.push(async () => void (found.storage = await probeS3({ endpoint: where.s3, ...access })));
  }
  return tasks;
}

/** Runs every probe of the selected desa and returns their rows; saves them for `desa report`. */
export async function runCheck(o: CheckOptions): Promise<CheckDocument> {
  const started = new Date();
  const t0 = performance.now();
  const { inventory } = loadInventory(o.file);
  const stacks = new Set(selectStacks(inventory, o.only));
  const units: Unit[] = inventory.units.filter((u) => stacks.has(u.stack));
  const dirs = stateDirs(o.file, o.env);
  const other = otherCluster(dirs, PLATFORM_STACK);
  if (other) {
    throw new AbortError(`desa check probes the local servers of the embedded cluster; these stacks were applied to ${other}.`, {
      exitCode: EXIT.operationFailed,
      nextStep: "Check that cluster's mail, DNS, web and storage with their own monitoring; `desa status` shows what the stacks hold.",
    });
  }
  const services = readLocalServices(dirs.services);
  if (!services) {
    throw new AbortError(`the local servers have never run here (no ${dirs.services}/state.json): there is nothing to check yet.`, {
      exitCode: EXIT.operationFailed,
      nextStep: 'Run `desa up` first: it starts the local cluster and its servers and provisions every desa.',
    });
  }
  const where = localWhere(services, serversStatus({ dir: services.dir, env: o.env }));
  const states = new Map((await readStates(o.file, o.env)).stacks.map((s) => [s.name, s]));
  const targets = units.map((u) => targetsFor(u, states.get(u.stack)));

  let creds: Credentials | { error: string } = { mailboxes: new Map(), buckets: new Map() };
  if (targets.some((t) => t.mailboxes.length > 0 || t.bucket)) {
    try {
      creds = await readCredentials(dirs.kubeconfig, inventory.kabupaten.domain, platformNamespace(dirs), o.env);
    } catch (e) {
      creds = { error: `no credential to log in with: the cluster's Secrets could not be read (${(e as Error).message.split('\n')[0]}); is the local cluster running? \`desa cluster status\`` };
    }
  }

  const resolver = resolverFor(where.dns);
  const found = targets.map((): Found => ({}));
  // The local CA's root, the only one the probes trust (none yet: every TLS probe fails, and says why).
  const caFile = join(services.dir, TLS_FILES.ca);
  const tls = { ca: existsSync(caFile) ? [readFileSync(caFile, 'utf8')] : [], mailHost: `mail.${inventory.kabupaten.domain}` };
  const tasks = targets.flatMap((t, i) => tasksFor(t, found[i]!, where, services, creds, resolver, tls));
  o.onStart?.(units.length, tasks.length);
  await pool(tasks, o.concurrency ?? 24, (task) => task());
  const rows = units.map((u, i) => rowFor(u, targets[i]!, found[i]!, where, started));
  const doc = checkDocument(inventory.file, rows, where, started, performance.now() - t0);
  writeLastCheck(dirs.lastCheck, mergeCheck(readLastCheck(dirs.lastCheck), doc));
  return doc;
}

