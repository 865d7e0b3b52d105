// PowerDNS Authoritative 4.7 with the SQLite backend (Debian: pdns-server, pdns-backend-sqlite3): the desa
// zone, written by the sync through its HTTP API. The database gets its schema once (init); the zone is
// created through the API. Its config holds the API key: 0600, and a change needs a restart.
import { readFileSync } from 'node:fs';
import type { ServerSpec } from './spec.ts';

const SCHEMA = '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql';

export const pdns: ServerSpec<'pdns'> = {
  name: 'pdns',
  service: 'dns',
  title: 'PowerDNS (DNS)',
  purpose: 'the desa names and mail records',
  install: { debian: ['pdns-server', 'pdns-backend-sqlite3', 'sqlite3'] },
  requires: [
    { command: 'pdns_server', package: 'pdns-server' },
    { file: SCHEMA, package: 'pdns-backend-sqlite3' },
    { command: 'sqlite3', package: 'sqlite3' },
  ],
  version: { command: 'pdns_server', args: ['--version'], pattern: /(\d+\.\d+\.\d+)/ },
  ports: ['dns', 'dnsApi'],
  secrets: [{ name: 'dns-api-key', bytes: 24 }],
  folders: () => [{ path: 'dns', mode: 0o755 }, { path: 'dns/run', mode: 0o755 }],
  config: (ctx) => [
    { path: 'dns/pdns.conf', template: 'pdns.conf', mode: 0o600, values: { dir: `${ctx.dir}/dns`, dnsPort: ctx.ports.dns, apiPort: ctx.ports.dnsApi, apiKey: ctx.secret('dns-api-key') } },
  ],
  init: {
    creates: 'dns/pdns.sqlite3',
    run: async (_ctx, tmp) => {
      const { run } = await import('../process.ts');
      await run('sqlite3', [tmp], { input: readFileSync(SCHEMA, 'utf8'), what: 'creating the PowerDNS database (sqlite3)' });
    },
  },
  launch: (ctx) => ({ argv: ['pdns_server', `--config-dir=${ctx.dir}/dns`] }),
  pidFile: 'dns/run/pdns.pid',
  ready: (ctx) => [
    { tcp: ctx.ports.dns },
    { udp: ctx.ports.dns },
    { http: `http://127.0.0.1:${ctx.ports.dnsApi}/api/v1/servers/localhost`, headers: { 'X-API-Key': ctx.secret('dns-api-key') } },
  ],
  reload: { restart: true },
};
