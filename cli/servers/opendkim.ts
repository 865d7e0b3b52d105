// OpenDKIM 2.11 (Debian: opendkim): the milter that signs what the desa send through Postfix, with the
// platform's key. The sync writes the key (0600, OpenDKIM's own) and the KeyTable and SigningTable for
// the inventory's domain; SIGUSR1 makes it re-read its config and tables.
import type { ServerSpec } from './spec.ts';

export const opendkim: ServerSpec<'opendkim'> = {
  name: 'opendkim',
  service: 'mail',
  title: 'OpenDKIM (mail signing)',
  purpose: 'DKIM signatures on sent mail',
  install: { debian: ['opendkim'] },
  requires: [
    { command: 'opendkim', package: 'opendkim' },
    { users: ['opendkim'], package: 'opendkim' },
  ],
  version: { command: 'opendkim', args: ['-V'], pattern: /v(\d+\.\d+\.\d+)/ },
  ports: ['dkim'],
  folders: (ctx) => [
    { path: 'dkim', mode: 0o755 },
    { path: 'dkim/keys', mode: 0o700, ...(ctx.root ? { owner: 'opendkim:opendkim' } : {}) },
    { path: 'dkim/run', mode: 0o755, ...(ctx.root ? { owner: 'opendkim:opendkim' } : {}) },
  ],
  seeds: [{ path: 'dkim/KeyTable', mode: 0o644 }, { path: 'dkim/SigningTable', mode: 0o644 }],
  config: (ctx) => [
    { path: 'dkim/opendkim.conf', template: 'opendkim.conf', values: { dir: `${ctx.dir}/dkim`, port: ctx.ports.dkim, user: ctx.root ? 'opendkim' : ctx.self.user } },
  ],
  launch: (ctx) => ({ argv: ['opendkim', '-x', `${ctx.dir}/dkim/opendkim.conf`, '-f'] }),
  pidFile: 'dkim/run/opendkim.pid',
  ready: (ctx) => [{ tcp: ctx.ports.dkim }],
  reload: { signal: 'SIGUSR1' },
};
