// A very small Kubernetes API client for the local cluster's own helpers (the volume provisioner): the
// API server, CA and client certificate from a self-contained kubeconfig (as toolchain/cluster.sh writes
// them), JSON requests and line-delimited watches over node:https. No dependency, no kubectl process.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { parse } from 'yaml';

export interface KubeApi {
  server: string;
  /** A request; the parsed JSON body (or null) and the status. Throws only when the server cannot be reached. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Streams the events of a watch (one JSON object a line) until it ends or `signal` aborts. */
  watch(path: string, onEvent: (e: { type: string; object: unknown }) => void, signal: AbortSignal): Promise<void>;
  /** Closes its kept-alive connections (a short-lived client: else they hold the process open). */
  close(): void;
}

interface KubeConfig {
  clusters?: { cluster?: { server?: string; 'certificate-authority-data'?: string } }[];
  users?: { user?: { 'client-certificate-data'?: string; 'client-key-data'?: string } }[];
}

const b64 = (s: string | undefined, what: string) => {
  if (!s) throw new Error(`the kubeconfig has no ${what}`);
  return Buffer.from(s, 'base64');
};

/** `timeoutMs`: how long a call may wait for its answer (30 s). */
export function kubeApi(kubeconfigFile: string, o: { timeoutMs?: number } = {}): KubeApi {
  const timeoutMs = o.timeoutMs ?? 30_000;
  const kc = parse(readFileSync(kubeconfigFile, 'utf8')) as KubeConfig;
  const cluster = kc.clusters?.[0]?.cluster;
  const user = kc.users?.[0]?.user;
  const server = cluster?.server;
  if (!server) throw new Error(`${kubeconfigFile} names no API server`);
  const agent = new Agent({
    ca: b64(cluster['certificate-authority-data'], 'certificate-authority-data'),
    cert: b64(user?.['client-certificate-data'], 'client-certificate-data'),
    key: b64(user?.['client-key-data'], 'client-key-data'),
    keepAlive: true,
  });
  const url = new URL(server);
  const options = (method: string, path: string, headers: Record<string, string> = {}) => ({
    host: url.hostname,
    port: url.port || 443,
    method,
    path,
    agent,
    headers: { Accept: 'application/json', ...headers },
  });

  const call: KubeApi['call'] = (method, path, body) =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = request(options(method, path, data ? { 'Content-Type': 'application/json' } : {}), (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let parsed: unknown = null;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs / 1000} s`)));
      req.on('error', reject);
      req.end(data);
    });

  const watch: KubeApi['watch'] = (path, onEvent, signal) =>
    new Promise((resolve, reject) => {
      const req = request({ ...options('GET', path), signal }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          buffer += c;
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (line) onEvent(JSON.parse(line) as { type: string; object: unknown });
          }
        });
        res.on('end', () => resolve());
        res.on('error', (e) => (signal.aborted ? resolve() : reject(e)));
      });
      req.on('error', (e) => (signal.aborted ? resolve() : reject(e)));
      req.end();
    });

  return { server, call, watch, close: () => agent.destroy() };
}
