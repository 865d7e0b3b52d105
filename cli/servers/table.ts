// The local servers desa runs beside the local cluster, in the order they are listed and started. The
// supervisor, `desa doctor`, the bootstrap (the Debian packages) and the sync all read this table: a
// server is one spec (and its templates) added here, with its ports in ports.ts.
import { dovecot } from './dovecot.ts';
import { mariadb } from './mariadb.ts';
import { nginx } from './nginx.ts';
import { opendkim } from './opendkim.ts';
import { pdns } from './pdns.ts';
import { pebble } from './pebble.ts';
import { phpFpm } from './php-fpm.ts';
import { postfix } from './postfix.ts';
import { roundcube } from './roundcube.ts';
import { sftpgo } from './sftpgo.ts';
import type { Service, ServerSpec } from './spec.ts';
import { versitygw } from './versitygw.ts';

export const SERVERS = [dovecot, postfix, pdns, nginx, versitygw, opendkim, mariadb, phpFpm, roundcube, pebble, sftpgo] as const;

export type ServerName = (typeof SERVERS)[number]['name'];

export function serverSpec(name: string): ServerSpec | undefined {
  return SERVERS.find((s) => s.name === name);
}

const SERVICE_ORDER: readonly Service[] = ['mail', 'dns', 'site', 'storage', 'tls'];

/** The servers by the service they stand in for (mail, DNS, sites, storage), then in table order: `desa doctor`'s order. */
export function byService(): ServerSpec[] {
  return [...SERVERS].sort((a, b) => SERVICE_ORDER.indexOf(a.service) - SERVICE_ORDER.indexOf(b.service));
}

/** Every Debian package the servers need, in table order, once each. */
export function debianPackages(): string[] {
  return [...new Set(SERVERS.flatMap((s) => ('debian' in s.install ? s.install.debian : [])))];
}
