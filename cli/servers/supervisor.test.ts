// The supervisor with small stand-in servers (sh loops, no ports): it starts them detached and waits for
// their probe, makes a running one re-read a config that changed (a new domain), leaves an unchanged one
// alone, reports one that dies or cannot run here, and stops them. The real servers are exercised by
// test/services.e2e.test.ts.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyFiles } from './apply.ts';
import type { ServerSpec } from './spec.ts';
import { readState } from './state.ts';
import { serversStatus, startServers, stopServers } from './supervisor.ts';
import { alive } from './system.ts';

const work = mkdtempSync(join(tmpdir(), 'supervisor-'));
// As root the supervisor checks that the servers' unprivileged users can enter the folder.
chmodSync(work, 0o755);
const template = join(work, 'fake.conf.tmpl');
writeFileSync(template, 'domain = {{domain}}\n');
// Writes its pid file, appends its config to `reloads` on SIGHUP, exits on SIGTERM.
// The traps are set before the pid file appears: the supervisor takes the pid file as ready.
const LOOP = 'trap \'cat "$1/fake.conf" >> "$1/reloads"\' HUP; trap "exit 0" TERM; echo $$ > "$1/fake.pid"; while :; do sleep 0.05; done';

function fake(name: string, script = LOOP, requires: ServerSpec['requires'] = [{ command: 'sh', package: 'dash' }]): ServerSpec {
  return {
    name,
    service: 'site',
    title: name,
    purpose: 'a test',
    install: { debian: [] },
    requires,
    ports: [],
    folders: () => [{ path: name }],
    seeds: [{ path: `${name}/accounts`, mode: 0o600 }],
    config: (ctx) => [{ path: `${name}/fake.conf`, template, values: { domain: ctx.domain } }],
    launch: (ctx) => ({ argv: ['sh', '-c', script, name, `${ctx.dir}/${name}`] }),
    pidFile: `${name}/fake.pid`,
    ready: () => [{ pidFile: `${name}/fake.pid` }],
    reload: { signal: 'SIGHUP' },
  };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  return check();
};

describe('the supervisor', () => {
  const dir = join(work, 'services');
  const servers = [fake('fake')];
  const start = (domain: string) => startServers({ dir, env: process.env, servers, domain, kabupaten: 'Kabupaten Contoh', portBase: 40000, timeoutSeconds: 10 });
  afterAll(() => stopServers({ dir, env: process.env, servers }));

  it('starts a server detached and waits for its probe; the ports and pid go to state.json', async () => {
    const r = await start('a.example');
    expect(r).toMatchObject({ ok: true, started: ['fake'], reloaded: [], failed: [] });
    const [status] = r.servers;
    expect(status).toMatchObject({ name: 'fake', state: 'running' });
    expect(readState(dir)).toMatchObject({ base: 40000, ports: { smtp: 40000, dkim: 40007 }, pids: { fake: status!.pid } });
    expect(readFileSync(join(dir, 'fake', 'fake.conf'), 'utf8')).toBe('domain = a.example\n');
    expect(existsSync(join(dir, 'fake', 'accounts'))).toBe(true);
  });

  it('a second start with the same values changes nothing and signals nothing', async () => {
    const r = await start('a.example');
    expect(r).toMatchObject({ ok: true, started: [], reloaded: [] });
    expect(existsSync(join(dir, 'fake', 'reloads'))).toBe(false);
  });

  it('a new domain is rendered and the running server re-reads it', async () => {
    const pid = serversStatus({ dir, env: process.env, servers })[0]!.pid;
    const r = await start('b.example');
    expect(r).toMatchObject({ ok: true, started: [], reloaded: ['fake'] });
    expect(serversStatus({ dir, env: process.env, servers })[0]!.pid).toBe(pid);
    expect(await until(() => existsSync(join(dir, 'fake', 'reloads')))).toBe(true);
    expect(readFileSync(join(dir, 'fake', 'reloads'), 'utf8')).toBe('domain = b.example\n');
  });

  it('files handed to a running server are re-read once, and again only when they change', async () => {
    const reloads = () => (existsSync(join(dir, 'fake', 'reloads')) ? readFileSync(join(dir, 'fake', 'reloads'), 'utf8').split('\n').length - 1 : 0);
    const before = reloads();
    const files = [{ path: 'fake/accounts', content: 'budi\n', mode: 0o600 }];
    expect(await applyFiles({ dir, env: process.env, servers }, 'fake', 'accounts', files, { domain: 'b.example' })).toEqual({ changed: true, reloaded: true });
    expect(await until(() => reloads() === before + 1)).toBe(true);
    expect(await applyFiles({ dir, env: process.env, servers }, 'fake', 'accounts', files, { domain: 'b.example' })).toEqual({ changed: false, reloaded: false });
    expect(readState(dir)?.applied['fake/accounts']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stops what it started; the data stays', async () => {
    const pid = serversStatus({ dir, env: process.env, servers })[0]!.pid!;
    expect(await stopServers({ dir, env: process.env, servers })).toEqual(['fake']);
    expect(alive(pid)).toBe(false);
    expect(serversStatus({ dir, env: process.env, servers })[0]).toMatchObject({ state: 'stopped', pid: null });
    expect(readFileSync(join(dir, 'fake', 'fake.conf'), 'utf8')).toBe('domain = b.example\n');
  });

  it('in a checkout inside a folder only its owner may enter (0700): the servers run from a folder they can reach (issue 12)', async () => {
    const priv = join(work, 'home-budi');
    mkdirSync(priv, { recursive: true });
    chmodSync(priv, 0o700);
    const inside = join(priv, 'desa', '.desa', 'services');
    const home = mkdtempSync('/tmp/dsh-'); // short, as /var/lib/desa: unix sockets go under it
    chmodSync(home, 0o755);
    const env = { ...process.env, DESA_SERVICES_HOME: home };
    const one = [fake('fake')];
    try {
      const r = await startServers({ dir: inside, env, servers: one, domain: 'a.example', kabupaten: 'Kabupaten Contoh', portBase: 40200, timeoutSeconds: 10 });
      expect(r).toMatchObject({ ok: true, started: ['fake'] });
      const real = realpathSync(inside);
      expect(real.startsWith(home)).toBe(true);
      expect(readFileSync(`/proc/${r.servers[0]!.pid}/cmdline`, 'utf8')).toContain(`${real}/fake`); // paths its users can reach
      expect(serversStatus({ dir: inside, env, servers: one })[0]).toMatchObject({ state: 'running' });
    } finally {
      await stopServers({ dir: inside, env, servers: one });
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('a server that dies while starting is reported with its log; one that cannot run here is skipped with why', async () => {
    const other = join(work, 'other');
    const dying = fake('dying', 'echo "cannot bind: address in use" >&2; exit 3');
    const absent = fake('absent', LOOP, [{ command: 'desa-no-such-server', package: 'desa-absent' }]);
    const r = await startServers({ dir: other, env: process.env, servers: [dying, absent], domain: 'a.example', kabupaten: 'Kabupaten Contoh', portBase: 40100, timeoutSeconds: 5 });
    expect(r.ok).toBe(false);
    expect(r.failed.map((f) => f.name)).toEqual(['dying']);
    expect(r.failed[0]!.message).toContain('exited during start-up');
    expect(r.failed[0]!.message).toContain('cannot bind: address in use');
    expect(r.servers.find((s) => s.name === 'absent')).toEqual({ name: 'absent', state: 'unavailable', pid: null, reason: 'desa-absent not installed (apt-get install desa-absent)' });
  });
});
