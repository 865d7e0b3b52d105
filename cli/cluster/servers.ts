// The loopback servers beside the local cluster (cli/servers/): started with the inventory's domain on
// the cluster's port base + 10 and up, listed with the port each serves, stopped with the cluster.
// A server that is not installed or does not start is reported, not fatal: the stacks still provision,
// and the sync skips that server. DESA_SERVICES=off leaves them all out (benchmarks).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheDir, ROOT } from '../paths.ts';
import { PEBBLE_API } from '../servers/pebble.ts';
import { readLocalServices, readServiceSecret, readState } from '../servers/state.ts';
import { reloadServers, serversStatus, type ServerStatus, startServers, stopServers } from '../servers/supervisor.ts';
import { ensureCertificate } from '../services/tls.ts';
import { builtBinary, readPins } from '../toolchain/pins.ts';
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
  if (stopped.length > 0) log.step(`starting the local mail, webmail, DNS, web, S3, OpenSID and ACME servers in ${o.dir}`);
  const r = await startServers({ dir: o.dir, env: o.env, domain: o.domain, kabupaten: o.kabupaten, portBase: o.portBase, log });
  const tls = await localCertificate(o, r.servers);
  if (tls) r.failed.push(tls);
  if (!r.ok) log.warn(`some local servers did not start (see above; logs in ${join(o.dir, 'log')}). The stacks still provision; the run fails at the end, naming them.`);
  const missing = r.servers.filter((x) => x.state === 'unavailable');
  if (stopped.length > 0 && missing.length > 0) log.warn(`not available here: ${missing.map((x) => `${x.name} (${x.reason})`).join(', ')}.`);
  return { servers: r.servers, failed: r.failed.map((f) => ({ server: f.name, reason: f.message.split('\n')[0]! })) };
}

/**
 * The front doors' certificate from the local CA, once Pebble and PowerDNS run: ordered when none valid is
 * held (ensureCertificate decides), then re-read by the servers that serve it. A failure is returned as a
 * server's, so that the run fails naming it; the servers keep the certificate they had.
 */
async function localCertificate(o: { dir: string; env: NodeJS.ProcessEnv; domain: string }, servers: readonly ServerStatus[]): Promise<{ name: string; message: string } | null> {
  const running = (name: string) => servers.some((x) => x.name === name && x.state === 'running');
  if (!running('pebble') || !running('pdns')) return null;
  const services = readLocalServices(o.dir);
  if (!services) return null;
  try {
    const r = await ensureCertificate({
      dir: services.dir,
      domain: o.domain,
      ports: services.ports,
      apiCaFile: join(dirname(builtBinary(cacheDir(o.env), readPins(ROOT), 'pebble')), '..', 'share', PEBBLE_API.ca),
      dns: { url: `http://127.0.0.1:${services.ports.dnsApi}`, apiKey: readServiceSecret(services.dir, 'dns-api-key') },
      log,
    });
    if (r.ordered) {
      const reloaded = await reloadServers({ dir: o.dir, env: o.env, domain: o.domain }, TLS_SERVERS);
      if (reloaded.length > 0) log.step(`${reloaded.join(', ')} re-read the new certificate`);
    }
    log.step(`local CA: trust ${r.caFile} (e.g. curl --cacert ${r.caFile} https://<slug>.${o.domain}:${services.ports.https}/)`);
    return null;
  } catch (e) {
    const message = `the certificate for *.${o.domain} could not be ordered from the local CA: ${(e as Error).message.split('\n')[0]}`;
    log.warn(`${message}. The servers keep the certificate they have; the stacks still provision, and the run fails at the end, naming it.`);
    return { name: 'pebble', message };
  }
}

/** The servers that serve the certificate: they re-read it when it is renewed. */
const TLS_SERVERS = ['nginx', 'dovecot', 'postfix'];

export async function stopLocalServers(dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  await stopServers({ dir, env, log });
}
