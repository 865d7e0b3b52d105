// Benchmark (issue 14): OpenSID on the local servers, what one desa costs. The real MariaDB, PHP-FPM and
// nginx (cli/servers/supervisor.ts) in a temporary folder, and the sync's own provisioning
// (cli/services/opensid.ts) for the first N desa of desa.yaml, one more desa per run: the first pays for
// unpacking the release (cold), the others find it (warm). Then each desa's pages are opened, and the
// memory of its pool (PSS, so the opcode cache and libraries shared by all pools are split fairly) and
// MariaDB's growth per desa are measured, with the time a page takes and the disk each desa adds.
// The cluster is left out: its part (one Secret and an Ingress per desa) is the same as profil's.
//
//   DESA_OPENSID_SOURCE=…tar.gz DESA_OPENSID_SHA256=… bin/node bench/opensid.ts [--desa 8] [--port-base 39800] [--keep]
// As root (PHP-FPM runs each desa as its own system user); the system users it makes are removed at the end.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { loadInventory } from '../core/inventory/load.ts';
import { opensidIdentity, opensidName } from '../core/opensid.ts';
import { ROOT } from '../cli/paths.ts';
import type { OpensidSite } from '../cli/services/desired.ts';
import { applyOpensid } from '../cli/services/opensid.ts';
import { dbAdmin } from '../cli/services/opensid-db.ts';
import { readLocalServices } from '../cli/servers/state.ts';
import { startServers, stopServers } from '../cli/servers/supervisor.ts';
import { identity, lookupUser } from '../cli/servers/system.ts';
import { SERVERS } from '../cli/servers/table.ts';
import { opensidAdminPassword, randomPassword } from '../stacks/secrets.ts';

const opts = new Command()
  .option('--desa <n>', 'how many desa to provision', '8')
  .option('--port-base <port>', 'the servers use P..P+20', '39800')
  .option('--keep', 'keep the temporary folder and the servers')
  .parse()
  .opts<{ desa: string; portBase: string; keep?: boolean }>();
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const env = process.env;
if (!env.DESA_OPENSID_SOURCE) throw new Error('set DESA_OPENSID_SOURCE (and DESA_OPENSID_SHA256) to the OpenSID release');
const release = { source: env.DESA_OPENSID_SOURCE, sha256: env.DESA_OPENSID_SHA256 };

const inventory = loadInventory(join(ROOT, 'desa.yaml')).inventory;
const domain = inventory.kabupaten.domain;
const units = inventory.units.filter((u) => u.kind === 'desa').slice(0, Number(opts.desa));
const sites: OpensidSite[] = units.map((u) => ({
  slug: u.slug,
  host: u.services.subdomain.host,
  code: opensidIdentity(u, inventory.kabupaten).kode_desa,
  database: opensidName(u.code),
  username: opensidName(u.code),
  password: randomPassword(),
  adminUsername: 'admin',
  adminPassword: opensidAdminPassword(),
  identity: opensidIdentity(u, inventory.kabupaten),
}));

const work = mkdtempSync(join(tmpdir(), 'desa-bench-opensid-'));
chmodSync(work, 0o755);
const dir = join(work, 'services');
const servers = SERVERS.filter((s) => ['mariadb', 'php-fpm', 'nginx'].includes(s.name));

function get(port: number, host: string, path: string): Promise<number> {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (r) => {
      r.resume();
      r.on('end', () => res(r.statusCode ?? 0));
    });
    req.on('error', rej);
    req.end();
  });
}

/** Proportional set size (KiB) of a process: its own pages, and its share of the pages it shares. */
function pss(pid: number): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  return m ? Number(m[1]) : 0;
}
const rss = (pid: number) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
const pidsOf = (user: string) => {
  const uid = lookupUser(user)?.uid;
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .filter((pid) => {
      try {
        return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) === uid;
      } catch {
        return false;
      }
    });
};
const mariadbPid = () => Number(readFileSync(join(dir, 'db', 'run', 'mariadb.pid'), 'utf8').trim());
const du = (...paths: string[]) => execFileSync('du', ['-sk', ...paths], { encoding: 'utf8' }).trim().split('\n').map((l) => Number(l.split('\t')[0]));
const mib = (kib: number) => (kib / 1024).toFixed(0);

const rows: string[] = [];
try {
  say(`starting MariaDB, PHP-FPM and nginx in ${dir}`);
  const start = await startServers({ dir, env, domain, kabupaten: inventory.kabupaten.name, portBase: Number(opts.portBase), servers });
  if (!start.ok) throw new Error(start.failed.map((f) => `${f.name}: ${f.message}`).join('\n'));
  const services = readLocalServices(dir)!;
  const mariadbIdle = rss(mariadbPid());
  const times: number[] = [];
  for (let n = 1; n <= sites.length; n++) {
    const t0 = performance.now();
    const r = await applyOpensid({ services, domain, env, release, sites: sites.slice(0, n), deleteData: new Set(), identity: identity() });
    const wall = (performance.now() - t0) / 1000;
    const site = r.sites.find((x) => x.slug === sites[n - 1]!.slug)!;
    if (site.state !== 'ready') throw new Error(`${site.slug}: ${site.error}`);
    times.push(site.seconds ?? wall);
    const label = n === 1 ? `first desa (cold: the release checked and unpacked, ${r.releaseSeconds}s of it)` : `desa ${n} (warm)`;
    rows.push(`| ${label} | ${wall.toFixed(1)} s | ${site.seconds} s for the desa itself; load average ${loadavg()[0]!.toFixed(1)} |`);
    say(`${site.slug}: ${wall.toFixed(1)} s`);
  }

  // Each desa's pages, as a visitor and the administrator would open them; then the pools' memory.
  const pageTimes: number[] = [];
  for (const s of sites) {
    for (const path of ['/', '/index.php/siteman', '/', '/index.php/artikel/1', '/']) {
      const t0 = performance.now();
      await get(services.ports.http, s.host, path);
      if (path === '/') pageTimes.push(performance.now() - t0);
    }
  }
  const pools = sites.map((s) => pidsOf(s.username));
  const poolPss = pools.map((pids) => pids.reduce((n, pid) => n + pss(pid), 0));
  const poolRss = pools.map((pids) => pids.reduce((n, pid) => n + rss(pid), 0));
  const mariadbNow = rss(mariadbPid());
  const perDesaDb = (mariadbNow - mariadbIdle) / sites.length;
  const db = dbAdmin({ dir, ...identity(), env });
  const sizes = (await db.sql(`SELECT table_schema, SUM(data_length + index_length) FROM information_schema.tables WHERE table_schema LIKE 'opensid\\_%' GROUP BY table_schema;`))
    .trim()
    .split('\n')
    .map((l) => Number(l.split('\t')[1]));
  const [releaseKib] = du(join(dir, 'opensid', 'releases'));
  const siteKib = du(join(dir, 'opensid', 'releases'), ...sites.map((s) => join(dir, 'opensid', 'sites', s.slug))).slice(1);
  const warm = times.slice(1);
  const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
  pageTimes.sort((a, b) => a - b);
  rows.push(`| provisioning one desa, warm (mean of ${warm.length}) | ${avg(warm).toFixed(1)} s | its folder, database, pool, seeding, provision.php |`);
  rows.push(`| its pool while serving (one PHP worker) | ${mib(avg(poolPss))} MiB PSS | ${mib(avg(poolRss))} MiB RSS; ondemand: none after 60 s idle |`);
  rows.push(`| MariaDB, idle before any desa | ${mib(mariadbIdle)} MiB RSS | buffer pool 128 MiB, shared |`);
  rows.push(`| MariaDB, per desa added | ${mib(perDesaDb)} MiB RSS | ${sites.length} desa: ${mib(mariadbNow)} MiB |`);
  rows.push(`| a desa's database | ${(avg(sizes) / 1048576).toFixed(1)} MiB | tables and indexes, seeded |`);
  rows.push(`| the release, unpacked once | ${mib(releaseKib!)} MiB | shared by every desa (hard links) |`);
  rows.push(`| a desa's own folder | ${mib(avg(siteKib))} MiB | its writable folders, beside the shared release |`);
  rows.push(`| home page, warm (median of ${pageTimes.length}) | ${pageTimes[Math.floor(pageTimes.length / 2)]!.toFixed(0)} ms | ${pageTimes.at(-1)!.toFixed(0)} ms the slowest |`);
  process.stdout.write(`| ${sites.length} OpenSID desa on the local servers | time / size | notes |\n| --- | ---: | --- |\n${rows.join('\n')}\n`);
} finally {
  if (!opts.keep) {
    await stopServers({ dir, env, servers });
    for (const s of sites) if (lookupUser(s.username)) execFileSync('userdel', [s.username]);
    rmSync(work, { recursive: true, force: true });
  } else say(`kept ${work}`);
}
