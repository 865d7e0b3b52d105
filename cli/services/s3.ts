// Buckets on the Versity S3 gateway (posix backend, internal IAM): one account per desa, role `user`,
// owning only its bucket desa-<slug>. Accounts live in the gateway's own IAM file, which it re-reads on
// every request (--iam-cache-disable), so adding or revoking a key takes effect at once; a bucket is
// created once, owned by its account, through the gateway's admin API. The gateway enforces no quota:
// usage is measured on disk and reported beside the quota.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, ROOT } from '../paths.ts';
import { run } from '../process.ts';
import { builtBinary, readPins } from '../toolchain/pins.ts';
import type { Bucket } from './desired.ts';
import { writeIfChanged } from '../servers/files.ts';
import { type LocalServices, readServiceSecret } from '../servers/state.ts';

export interface BucketUsage {
  bucket: string;
  bytes: number;
  objects: number;
  quota: string;
}

export interface BucketReport {
  /** Buckets whose key works. */
  active: number;
  /** Kept buckets of desa gone from desa.yaml: data kept, key revoked. */
  revoked: number;
  /** Buckets deleted with their data (destroy --delete-data). */
  deleted: number;
  usage: BucketUsage[];
}

interface Account {
  access: string;
  secret: string;
  role: string;
  userID: number;
  groupID: number;
  projectID: number;
}

export function versitygwPath(env: NodeJS.ProcessEnv): string {
  return builtBinary(cacheDir(env), readPins(ROOT), 'versitygw');
}

/** The IAM file with the desired accounts: the root's own entries are kept, desa accounts replaced. */
export function renderIam(current: Record<string, Account>, buckets: readonly Bucket[]): string {
  const accounts: Record<string, Account> = {};
  for (const [k, a] of Object.entries(current)) if (a.role !== 'user') accounts[k] = a;
  for (const b of buckets) {
    if (b.active) accounts[b.accessKeyId] = { access: b.accessKeyId, secret: b.secretAccessKey, role: 'user', userID: 0, groupID: 0, projectID: 0 };
  }
  return `${JSON.stringify({ accessAccounts: accounts })}\n`;
}

function usageOf(dir: string): { bytes: number; objects: number } {
  let bytes = 0;
  let objects = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.sgwtmp') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        bytes += statSync(p).size;
        objects++;
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return { bytes, objects };
}

/** The gateway's admin client: binary and root key looked up once, for every call of one sync. */
function adminClient(s: LocalServices, env: NodeJS.ProcessEnv) {
  const binary = versitygwPath(env);
  // The root key reaches the admin client through its environment, never its command line.
  const adminEnv = { ...env, ADMIN_ACCESS_KEY_ID: readServiceSecret(s.dir, 's3-root-access'), ADMIN_SECRET_ACCESS_KEY: readServiceSecret(s.dir, 's3-root-secret') };
  return async (args: string[]): Promise<string> => {
    const r = await run(binary, ['admin', '--endpoint-url', `http://127.0.0.1:${s.ports.s3}`, ...args], { env: adminEnv, timeout: 30_000, what: `versitygw admin ${args[0]}` });
    return r.stdout;
  };
}

/** Bucket names from `versitygw admin list-buckets` (a table: Bucket Owner). */
export function parseBucketList(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n').slice(1)) {
    const [bucket, owner] = line.trim().split(/\s+/);
    if (bucket && owner) out.set(bucket, owner);
  }
  return out;
}

export async function applyBuckets(s: LocalServices, buckets: readonly Bucket[], deleteData: ReadonlySet<string>, env: NodeJS.ProcessEnv = process.env): Promise<BucketReport> {
  const iamFile = join(s.dir, 's3', 'iam', 'users.json');
  const current = existsSync(iamFile) ? ((JSON.parse(readFileSync(iamFile, 'utf8')) as { accessAccounts?: Record<string, Account> }).accessAccounts ?? {}) : {};
  writeIfChanged(iamFile, renderIam(current, buckets), 0o600);

  const admin = adminClient(s, env);
  const existing = parseBucketList(await admin(['list-buckets']));
  // New buckets through the admin API, a few at a time (one call each, about 50 ms).
  const missing = buckets.filter((b) => b.active && !existing.has(b.bucket));
  const worker = async () => {
    for (let b = missing.shift(); b; b = missing.shift()) await admin(['create-bucket', '--bucket', b.bucket, '--owner', b.accessKeyId]);
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  // Data goes only when asked: the bucket of a desa destroyed with --delete-data (its Secret is gone).
  let deleted = 0;
  const kept = new Set(buckets.map((b) => b.bucket));
  for (const bucket of existing.keys()) {
    const slug = bucket.replace(/^desa-/, '');
    if (!kept.has(bucket) && deleteData.has(slug) && /^[a-z0-9-]+$/.test(bucket)) {
      rmSync(join(s.dir, 's3', 'data', bucket), { recursive: true, force: true });
      deleted++;
    }
  }
  return {
    active: buckets.filter((b) => b.active).length,
    revoked: buckets.filter((b) => !b.active).length,
    deleted,
    usage: buckets.map((b) => ({ bucket: b.bucket, quota: b.quota, ...usageOf(join(s.dir, 's3', 'data', b.bucket)) })),
  };
}
