// The port plan of the local servers: every one listens on 127.0.0.1 at the services' base port plus its
// offset here (the base: the local cluster's port base + 10, so 23800 by default). A server that needs
// a port adds its name here; the ports are fixed at first start and kept in the state file (state.ts).

export const PORT_PLAN = {
  /** Postfix: inbound mail (MX), unauthenticated. */
  smtp: 0,
  /** Postfix: SMTP AUTH submission through Dovecot. */
  submission: 1,
  /** Dovecot: IMAP. */
  imap: 2,
  /** PowerDNS: DNS over UDP and TCP. */
  dns: 3,
  /** PowerDNS: its HTTP API. */
  dnsApi: 4,
  /** nginx: the sites. */
  http: 5,
  /** The Versity S3 gateway. */
  s3: 6,
  /** OpenDKIM: the milter Postfix signs through. */
  dkim: 7,
  /** nginx: the sites over HTTPS (the wildcard certificate of the local CA). */
  https: 8,
  /** Dovecot: IMAP over implicit TLS. */
  imaps: 9,
  /** Pebble, the local ACME CA: its directory (HTTPS). */
  acme: 10,
  /** Pebble: its management API (the CA's root and intermediate). */
  acmeManagement: 11,
  /** SFTPGo: its web client, web admin and REST API (plain HTTP on loopback; nginx serves files.<domain> over HTTPS). */
  files: 12,
  /** SFTPGo: WebDAV (plain HTTP on loopback; nginx serves it at files.<domain>/dav/ over HTTPS). */
  webdav: 13,
  // 14-19: free.
  /** MariaDB: the OpenSID databases (its admin client uses the unix socket). */
  mariadb: 20,
  // 21-24: reserved for OpenSID's servers (PHP-FPM listens on one unix socket per desa, no port).
} as const;

export type PortName = keyof typeof PORT_PLAN;
export type ServicePorts = Record<PortName, number>;

export const DEFAULT_PORT_BASE = 23800;
export const HIGHEST_OFFSET = Math.max(...Object.values(PORT_PLAN));

/** A base port from text (DESA_SERVICES_PORT_BASE): a whole number that leaves room for every offset. */
export function parsePortBase(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_PORT_BASE;
  const base = Number(text);
  if (!/^\d+$/.test(text) || base < 1024 || base > 65535 - HIGHEST_OFFSET) {
    throw new RangeError(`the services' port base must be a number from 1024 to ${65535 - HIGHEST_OFFSET}, not "${text}"`);
  }
  return base;
}

/** Every port from a base; ports already fixed (`known`) are kept, those added since take base + offset. */
export function portsFrom(base: number, known: Partial<Record<string, number>> = {}): ServicePorts {
  const ports = {} as ServicePorts;
  for (const [name, offset] of Object.entries(PORT_PLAN) as [PortName, number][]) ports[name] = known[name] ?? base + offset;
  return ports;
}
