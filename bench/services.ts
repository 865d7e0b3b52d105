// Benchmark (issue 4): the services sync for every unit of desa.yaml, against the real loopback servers
// (started by cli/servers/supervisor.ts) in a temporary folder. The cluster is left out: the objects the stacks would
// leave in it (mailbox and bucket Secrets, Ingresses, profil pages, the mail records) are built from
// desa.yaml with the same plan functions, so the figures are the sync's own cost on the servers. The
// first run applies everything; the second finds nothing to change; the third follows one offboarding.
// Issue 4 names no baseline for this: the figures are what every `desa up` on the local cluster adds.
//
//   bin/node bench/services.ts [--port-base 29800] [--keep]
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { loadInventory } from '../core/inventory/load.ts';
import { ROOT } from '../cli/paths.ts';
import type { ClusterObjects } from '../cli/services/desired.ts';
import { clusterObjectsFor } from '../test/fixtures/cluster-objects.ts';
import { readLocalServices } from '../cli/servers/state.ts';
import { HIGHEST_OFFSET } from '../cli/servers/ports.ts';
import { serversStatus, startServers, stopServers } from '../cli/servers/supervisor.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { settingsSchema } from '../stacks/settings.ts';
import { applyServices } from '../cli/services/sync.ts';
import { randomPassword } from '../stacks/secrets.ts';

const opts = new Command().option('--port-base <port>', `the loopback servers use P..P+${HIGHEST_OFFSET}`, '29800').option('--keep', 'keep the temporary folder').parse().opts<{ portBase: string; keep?: boolean }>();
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);

const inventory = loadInventory(join(ROOT, 'desa.yaml')).inventory;
const domain = inventory.kabupaten.domain;

const objectsFor = (units: typeof inventory.units): ClusterObjects => clusterObjectsFor(inventory, units, (k) => passwords.get(k) ?? setPw(k));
const passwords = new Map<string, string>();
const setPw = (k: string) => {
  const v = randomPassword();
  passwords.set(k, v);
  return v;
};

/** PSS and RSS of a process and all its descendants, from /proc (MiB). */
function treeMemory(root: number): { pssMiB: number; rssMiB: number; processes: number } {
  const parent = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      parent.set(Number(e), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parent) if (ppid === tree[i]) tree.push(pid);
  let pss = 0;
  let rss = 0;
  for (const pid of tree) {
    try {
      const r = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      pss += Number(/^Pss:\s+(\d+)/m.exec(r)?.[1] ?? 0);
      rss += Number(/^Rss:\s+(\d+)/m.exec(r)?.[1] ?? 0);
    } catch {
      // gone, or not ours to read
    }
  }
  return { pssMiB: pss / 1024, rssMiB: rss / 1024, processes: tree.length };
}

const work = mkdtempSync(join(tmpdir(), 'desa-bench-services-'));
chmodSync(work, 0o755);
const dir = join(work, 'services');
const env = process.env;
const defaults = settingsSchema.parse({});
const settings = { platformNamespace: defaults.platformNamespace, dnsTtl: defaults.dns.ttl };
const rows: string[] = [];
try {
  say(`starting the servers in ${dir}`);
  let t = performance.now();
  const start = await startServers({ dir, env, domain, kabupaten: inventory.kabupaten.name, portBase: Number(opts.portBase) });
  if (!start.ok) throw new Error(start.failed.map((f) => `${f.name}: ${f.message}`).join('\n'));
  rows.push(`| start the servers (cold) | ${((performance.now() - t) / 1000).toFixed(2)} s | |`);
  const services = readLocalServices(dir)!;
  const all = objectsFor(inventory.units);
  const run = async (label: string, objects: ClusterObjects, units = inventory.units) => {
    const t0 = performance.now();
    const r = await applyServices(objects, { services, inventory: { ...inventory, units }, settings, env });
    const s = (performance.now() - t0) / 1000;
    const files = r.files ? `, ${r.files.active} file-space logins (${r.files.changed} SFTPGo changes, ${r.files.revoked} revoked)` : ', file space skipped (SFTPGo not running)';
    const parts = Object.entries(r.timings).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(2)}`).join(', ');
    rows.push(`| ${label} | ${s.toFixed(2)} s | ${r.mailboxes} mailboxes, ${r.buckets.active} buckets active, ${r.buckets.revoked} revoked, ${r.records} record sets, ${r.sites} sites${files}; changed: mail ${r.changed.mail}, dns ${r.changed.dns}, sites ${r.changed.sites}; seconds by part: ${parts} |`);
    return r;
  };
  await run(`first sync, all ${inventory.units.length} units`, all);
  await run('second sync, nothing changed', all);
  const gone = inventory.units.find((u) => u.services.email.enabled && u.services.storage.enabled)!;
  const kept = inventory.units.filter((u) => u !== gone);
  // Offboarded: its mailbox Secrets and Ingress are gone, its bucket claim kept (protected).
  const left = objectsFor(kept);
  left.secrets.push(...all.secrets.filter((x) => x.metadata.name === `bucket-${gone.slug}`));
  await run(`after offboarding ${gone.slug}`, left, kept);
  // Each server's memory after the syncs, idle: its process tree (PSS, shared pages split; RSS beside).
  for (const x of serversStatus({ dir, env })) {
    if (x.state !== 'running' || !x.pid) {
      rows.push(`| memory of ${x.name} | not running | ${x.reason ?? ''} |`);
      continue;
    }
    const m = treeMemory(x.pid);
    rows.push(`| memory of ${x.name} (idle, ${m.processes} processes) | ${m.pssMiB.toFixed(0)} MiB PSS | ${m.rssMiB.toFixed(0)} MiB RSS |`);
  }
  const mem = process.memoryUsage();
  rows.push(`| peak RSS of this process | ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB | heap used ${(mem.heapUsed / 1048576).toFixed(0)} MiB |`);
  process.stdout.write(['| step | wall | what |', '| --- | ---: | --- |', ...rows].join('\n') + '\n');
} finally {
  await stopServers({ dir, env });
  if (!opts.keep) rmSync(work, { recursive: true, force: true });
  else say(`kept ${work}`);
}
