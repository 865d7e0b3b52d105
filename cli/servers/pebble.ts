// Pebble (Let's Encrypt's test ACME server, built from the Go module proxy by toolchain/build.sh
// services): the local certificate authority. desa orders the wildcard certificate of the inventory's
// domain from it by DNS-01 (cli/services/tls.ts), exactly as production orders it from Let's Encrypt:
// Pebble resolves the challenge record in the local PowerDNS (-dnsserver). Pebble keeps nothing on disk:
// every start makes a new root, which desa saves as tls/local-ca.pem for people to trust.
import type { ServerSpec } from './spec.ts';

/** Pebble's API (directory and management) serves the test certificate its module ships for 127.0.0.1; desa trusts its root explicitly. */
/**
 * The local CA's name in the zone's CAA record on the local default (Pebble itself does not check CAA;
 * the record shows what production publishes for letsencrypt.org, and a real CA would refuse to issue).
 */
export const LOCAL_CA_CAA = 'pebble.desa.local';

export const PEBBLE_API = { cert: 'api-cert.pem', key: 'api-key.pem', ca: 'api-ca.pem' } as const;

export const pebble: ServerSpec<'pebble'> = {
  name: 'pebble',
  service: 'tls',
  title: 'Pebble (local ACME CA)',
  purpose: 'the wildcard certificate, by DNS-01 (its root: .desa/services/tls/local-ca.pem)',
  install: { build: 'pebble' },
  requires: [
    { built: true },
    { server: 'pdns', why: 'pebble needs pdns (it resolves the DNS-01 challenge records there)' },
  ],
  ports: ['acme', 'acmeManagement'],
  uses: ['pdns'],
  folders: () => [{ path: 'tls', mode: 0o755 }],
  config: (ctx) => [
    {
      path: 'tls/pebble.json',
      template: 'pebble.json',
      values: {
        version: 'v2.10',
        acmePort: ctx.ports.acme,
        managementPort: ctx.ports.acmeManagement,
        apiCert: ctx.built('pebble', `../share/${PEBBLE_API.cert}`),
        apiKey: ctx.built('pebble', `../share/${PEBBLE_API.key}`),
        httpPort: ctx.ports.http,
        httpsPort: ctx.ports.https,
      },
    },
  ],
  launch: (ctx) => ({
    argv: [ctx.built('pebble'), '-config', `${ctx.dir}/tls/pebble.json`, '-dnsserver', `127.0.0.1:${ctx.ports.dns}`],
    // No random 0-15 s pause before each validation, and no nonces refused on purpose (5% by default):
    // both are there to harden clients in CI, and would only make a local run slower.
    env: { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
  }),
  ready: (ctx) => [{ tcp: ctx.ports.acme }, { tcp: ctx.ports.acmeManagement }],
  // It keeps its CA in memory: a changed config needs a restart (and then a new certificate).
  reload: { restart: true },
};
