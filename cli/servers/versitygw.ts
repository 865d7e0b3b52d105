// The Versity S3 gateway (built from the Go module proxy by toolchain/build.sh services): one bucket per
// desa in s3/data, accounts in its own IAM file s3/iam/users.json (0600), which the sync writes and the
// gateway re-reads on every request (--iam-cache-disable). No config file: nothing to reload.
import type { ServerSpec } from './spec.ts';

export const versitygw: ServerSpec<'versitygw'> = {
  name: 'versitygw',
  service: 'storage',
  title: 'Versity S3 gateway (storage)',
  purpose: 'the desa buckets',
  install: { build: 'versitygw' },
  requires: [{ built: true }],
  ports: ['s3'],
  secrets: [
    { name: 's3-root-access', bytes: 10 },
    { name: 's3-root-secret', bytes: 20 },
  ],
  folders: () => [
    { path: 's3', mode: 0o755 },
    { path: 's3/data', mode: 0o755 },
    // The accounts' secrets.
    { path: 's3/iam', mode: 0o700 },
  ],
  config: () => [],
  launch: (ctx) => ({
    argv: [ctx.built('versitygw'), '--port', `127.0.0.1:${ctx.ports.s3}`, '--iam-dir', `${ctx.dir}/s3/iam`, '--iam-cache-disable', '--quiet', 'posix', `${ctx.dir}/s3/data`],
    // The root key goes through the environment (readable only by its owner in /proc), not the command line.
    env: { ROOT_ACCESS_KEY: ctx.secret('s3-root-access'), ROOT_SECRET_KEY: ctx.secret('s3-root-secret') },
  }),
  ready: (ctx) => [{ tcp: ctx.ports.s3 }],
  reload: { restart: true },
};
