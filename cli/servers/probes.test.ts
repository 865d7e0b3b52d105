// Readiness probes against a real HTTP server: a server known by its name on a shared port (webmail on
// nginx) is probed with its own Host header, which fetch would have dropped.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from './probes.ts';

describe('the http probe', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // Like nginx: 200 for the named host, 404 for any other (its default server).
    server = createServer((req, res) => res.writeHead(req.headers.host === 'webmail.desa.example' ? 200 : 404).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends the Host it is given, and passes only on 2xx', async () => {
    const o = { dir: '/nonexistent', pid: 0 };
    expect(await probe({ http: url, headers: { host: 'webmail.desa.example' } }, o)).toBe(true);
    expect(await probe({ http: url, headers: { host: 'lain.desa.example' } }, o)).toBe(false);
    expect(await probe({ http: url }, o)).toBe(false);
    // Nothing listening: false, not an error.
    expect(await probe({ http: 'http://127.0.0.1:1/' }, o)).toBe(false);
  });
});
