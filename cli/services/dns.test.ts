// The zone sync against a small in-memory stand-in for PowerDNS's HTTP API: the zone of the domain
// desa.yaml names is created and filled; a zone of a domain it no longer names loses desa's records,
// and goes when only its SOA and NS are left; records made by hand keep theirs.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishable } from './sync.ts';
import { applyDns, type Rrset } from './dns.ts';

const zones = new Map<string, Rrset[]>();
const calls: string[] = [];
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push(`${req.method} ${req.url}`);
      const send = (status: number, value?: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(value === undefined ? '' : JSON.stringify(value));
      };
      if (req.headers['x-api-key'] !== 'kunci') return send(401);
      const m = /^\/api\/v1\/servers\/localhost\/zones(?:\/(.+))?$/.exec(req.url ?? '');
      if (!m) return send(404);
      const name = m[1];
      if (!name && req.method === 'GET') return send(200, [...zones.keys()].map((z) => ({ name: z })));
      if (!name && req.method === 'POST') {
        const z = JSON.parse(body) as { name: string; rrsets: Rrset[] };
        zones.set(z.name, z.rrsets);
        return send(201, {});
      }
      const zone = zones.get(name!);
      if (!zone) return send(404);
      if (req.method === 'GET') return send(200, { name, rrsets: zone });
      if (req.method === 'DELETE') return void (zones.delete(name!), send(204));
      if (req.method === 'PATCH') {
        for (const c of (JSON.parse(body) as { rrsets: Rrset[] }).rrsets) {
          const rest = zone.filter((r) => !(r.name === c.name && r.type === c.type));
          if (c.changetype === 'REPLACE') rest.push({ name: c.name, type: c.type, ttl: c.ttl, records: c.records, comments: c.comments ?? [] });
          zones.set(name!, rest);
          zone.splice(0, zone.length, ...rest);
        }
        return send(204);
      }
      send(405);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const api = () => ({ url, apiKey: 'kunci' });
const a = (name: string) => ({ name, type: 'A' as const, ttl: 300, values: ['127.0.0.1'] });

describe('the zone on PowerDNS', () => {
  it('creates the zone of the domain and fills it; a second run changes nothing', async () => {
    expect(await applyDns(api(), 'desa.bekasikab.go.id.', [a('sumberjaya.desa.bekasikab.go.id.')])).toEqual({ changed: 1, deleted: 0 });
    expect(zones.get('desa.bekasikab.go.id.')!.map((r) => `${r.name} ${r.type}`).sort()).toEqual(['desa.bekasikab.go.id. NS', 'desa.bekasikab.go.id. SOA', 'sumberjaya.desa.bekasikab.go.id. A']);
    calls.length = 0;
    expect(await applyDns(api(), 'desa.bekasikab.go.id.', [a('sumberjaya.desa.bekasikab.go.id.')])).toEqual({ changed: 0, deleted: 0 });
    expect(calls.filter((c) => !c.startsWith('GET'))).toEqual([]);
  });

  it('a new domain: the old zone loses desa\'s records and goes; a zone with a record made by hand stays with it', async () => {
    zones.set('lama.example.', [
      { name: 'lama.example.', type: 'SOA', ttl: 3600, records: [{ content: 'ns1 hostmaster 1 1 1 1 1', disabled: false }] },
      { name: 'www.lama.example.', type: 'A', ttl: 300, records: [{ content: '10.0.0.1', disabled: false }] },
      { name: 'desa.lama.example.', type: 'A', ttl: 300, records: [{ content: '127.0.0.1', disabled: false }], comments: [{ content: 'x', account: 'desa' }] },
    ]);
    const r = await applyDns(api(), 'desa.contoh.go.id.', [a('sumberjaya.desa.contoh.go.id.')]);
    expect(r).toEqual({ changed: 1, deleted: 2 });
    expect([...zones.keys()].sort()).toEqual(['desa.contoh.go.id.', 'lama.example.']);
    expect(zones.get('lama.example.')!.map((x) => x.name)).toEqual(['lama.example.', 'www.lama.example.']);
  });
});

describe('publishable', () => {
  const a = (name: string) => ({ name: `${name}.`, type: 'A' as const, ttl: 300, values: ['127.0.0.1'] });
  const records = [a('lambangjaya.desa.bekasikab.go.id'), a('sumberjaya.desa.bekasikab.go.id'), a('karangmukti.desa.bekasikab.go.id')];
  const site = (slug: string, state: 'ready' | 'failed') => ({ slug, host: `${slug}.desa.bekasikab.go.id`, state, seeded: false });

  it('keeps the name of a desa on OpenSID out of the zone until its OpenSID is ready', () => {
    expect(publishable(records, { sites: [site('lambangjaya', 'ready'), site('sumberjaya', 'failed')] }).map((r) => r.name)).toEqual([
      'lambangjaya.desa.bekasikab.go.id.',
      'karangmukti.desa.bekasikab.go.id.',
    ]);
    expect(publishable(records, undefined)).toEqual(records);
  });
});
