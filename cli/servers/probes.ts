// Readiness: a server is ready when every probe of its spec passes. TCP and UDP look at the kernel's
// listening sockets (no connection, nothing in the server's log); HTTP asks in-process (a key in a header
// never reaches a command line); a pid file must hold the pid desa started.
import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import type { Probe } from './spec.ts';
import { listening, readPid } from './system.ts';

/**
 * A GET that answers 2xx. Through node:http, not fetch: fetch drops a Host header, and a server known by
 * its name on a shared port (webmail.<domain> on nginx) is probed with its own.
 */
function httpOk(url: string, headers: Record<string, string> = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(url, { headers, timeout: 2000 }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** An HTTPS GET that answers 2xx, the certificate checked for `host` against `ca` (and nothing else). */
function httpsOk(url: string, host: string, ca: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpsGet(url, { headers: { host }, servername: host, ca, timeout: 2000 }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

export async function probe(p: Probe, o: { dir: string; pid: number }): Promise<boolean> {
  if ('tcp' in p) return listening(p.tcp, 'tcp');
  if ('udp' in p) return listening(p.udp, 'udp');
  if ('pidFile' in p) return readPid(join(o.dir, p.pidFile)) === o.pid;
  if ('https' in p) {
    const ca = p.trust.map((f) => join(o.dir, f)).filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8'));
    return ca.length > 0 && httpsOk(p.https, p.host, ca);
  }
  return httpOk(p.http, p.headers);
}

export async function allPass(probes: readonly Probe[], o: { dir: string; pid: number }): Promise<boolean> {
  for (const p of probes) if (!(await probe(p, o))) return false;
  return true;
}

/** What a probe checks, for a message ("tcp 127.0.0.1:23802"); never the headers. */
export function describeProbe(p: Probe): string {
  if ('tcp' in p) return `tcp 127.0.0.1:${p.tcp}`;
  if ('udp' in p) return `udp 127.0.0.1:${p.udp}`;
  if ('pidFile' in p) return `its pid file ${p.pidFile}`;
  if ('https' in p) return `GET ${p.https} (${p.host})`;
  return `GET ${p.http}`;
}
