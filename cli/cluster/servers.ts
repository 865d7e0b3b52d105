// The loopback servers beside the local cluster (cli/servers/): started with the inventory's domain on
// the cluster's port base + 10 and up, listed with the port each serves, stopped with the cluster.
// A server that is not installed or does not start is reported, not fatal: the stacks still provision,
// and the sync skips that server. DESA_SERVICES=off leaves them all out (benchmarks).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readState } from '../servers/state.ts';
import { serversStatus, type ServerStatus, startServers, stopServers } from '../servers/supervisor.ts';
import { SERVERS } from '../servers/table.ts';
import { log } from '../ui/output.ts';

/** Whether the loopback servers run beside the cluster. */
export const servicesWanted = (env: NodeJS.ProcessEnv) => env.DESA_SERVICES !== 'off';

export type ServerWithPort = ServerStatus & { port?: number };

/** Each server's status, with the port people use (the first of its spec). */
export function serversWithPorts(dir: string, env: NodeJS.ProcessEnv): ServerWithPort[] {
  if (!servicesWanted(env) || !existsSync(dir)) return [];
  const ports = readState(dir)?.ports;
  return serversStatus({ dir, env }).map((x) => {
    const name = SERVERS.find((s) => s.name === x.name)?.ports[0];
    return ports && name ? { ...x, port: ports[name] } : x;
  });
}

/** A server that is installed and should run here but did not come up. */
export interface ServerFailure {
  server: string;
  reason: string;
}

/**
 * Starts what is stopped and makes running servers re-read a config that changed (the domain). Those
 * that did not come up are returned: `desa up` then fails, naming them (a server that is not installed
 * here is not a failure: it is listed as unavailable).
 */
export async function startLocalServers(o: { dir: string; env: NodeJS.ProcessEnv; domain: string; kabupaten: string; portBase: number }): Promise<{ servers: ServerStatus[]; failed: ServerFailure[] }> {
  if (!servicesWanted(o.env)) return { servers: [], failed: [] };
  const stopped = serversStatus({ dir: o.dir, env: o.env }).filter((x) => x.state === 'stopped');
  if (stopped.length > 0) log.step(`starting the local mail, webmail, DNS, web, S3 and OpenSID servers in ${o.dir}`);
  const r = await startServers({ dir: o.dir, env: o.env, domain: o.domain, kabupaten: o.kabupaten, portBase: o.portBase, log });
  if (!r.ok) log.warn(`some local servers did not start (see above; logs in ${join(o.dir, 'log')}). The stacks still provision; the run fails at the end, naming them.`);
  const missing = r.servers.filter((x) => x.state === 'unavailable');
  if (stopped.length > 0 && missing.length > 0) log.warn(`not available here: ${missing.map((x) => `${x.name} (${x.reason})`).join(', ')}.`);
  return { servers: r.servers, failed: r.failed.map((f) => ({ server: f.name, reason: f.message.split('\n')[0]! })) };
}

export async function stopLocalServers(dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  await stopServers({ dir, env, log });
}
