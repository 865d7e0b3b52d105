// The objects of a Pulumi self-managed ("diy") backend, wherever they are: a folder (file://, the default
// .desa/state) or an S3 bucket (s3://bucket/prefix?endpoint=…&s3ForcePathStyle=true, read with
// @aws-sdk/client-s3 and the usual AWS_* variables). Both hold the same layout under the URL's root,
// as the engine writes it:
//   .pulumi/stacks/<project>/<stack>.json[.gz]                    the checkpoint (state) of a stack
//   .pulumi/locks/organization/<project>/<stack>/<id>.json        one per running update (pid, host, time)
// and desa adds its own beside them (records.ts):
//   .desa/last-update/<project>/<stack>.json                      the fingerprint of a stack's last update
// Reading these directly (no CLI process, no decryption) is what lets `desa status`, the unchanged-stack
// skip, lock waiting and recovery work the same on either. Other backends (Pulumi Cloud) have no store:
// the engine is asked instead.
import { type Dirent, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { AbortError, EXIT } from '../../core/errors.ts';
import type { Backend } from './checkpoint.ts';

export interface StoredObject {
  /** Relative to the backend's root, with `/`. */
  key: string;
  /** Last modified, milliseconds since the epoch. */
  modified: number;
}

export interface BackendStore {
  /** The backend's URL, for messages (no credentials in it). */
  readonly url: string;
  get(key: string): Promise<Buffer | null>;
  /** Every object whose key starts with `prefix`, at any depth. */
  list(prefix: string): Promise<StoredObject[]>;
  put(key: string, body: string): Promise<void>;
  remove(key: string): Promise<void>;
}

/** A backend in a folder. */
export function fileStore(dir: string): BackendStore {
  const walk = (d: string): string[] => {
    try {
      return readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    } catch {
      return [];
    }
  };
  return {
    url: `file://${dir}`,
    get: async (key) => {
      try {
        return readFileSync(join(dir, key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    list: async (prefix) => {
      // Only the folder holding the prefix is read, and only the entries that match are followed: a
      // stack's checkpoint is found among 750 files of 188 stacks in well under a millisecond.
      const parent = prefix.slice(0, prefix.lastIndexOf('/') + 1);
      const head = prefix.slice(parent.length);
      let entries: Dirent[];
      try {
        entries = readdirSync(join(dir, parent), { withFileTypes: true });
      } catch {
        return [];
      }
      const out: StoredObject[] = [];
      const add = (file: string) => {
        const st = statSync(file, { throwIfNoEntry: false });
        if (st) out.push({ key: relative(dir, file).split('\\').join('/'), modified: st.mtimeMs });
      };
      for (const e of entries) {
        if (!e.name.startsWith(head)) continue;
        if (e.isDirectory()) walk(join(dir, parent, e.name)).forEach(add);
        else if (e.isFile()) add(join(dir, parent, e.name));
      }
      return out.sort((a, b) => a.key.localeCompare(b.key));
    },
    put: async (key, body) => {
      mkdirSync(dirname(join(dir, key)), { recursive: true });
      writeFileSync(join(dir, key), body);
    },
    remove: async (key) => rmSync(join(dir, key), { force: true }),
  };
}

export interface S3Location {
  bucket: string;
  /** The key prefix the backend lives under ('' or ending in '/'). */
  prefix: string;
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
}

/** An s3:// backend URL as the engine reads it (gocloud.dev's s3blob: region, endpoint, path style). */
export function parseS3Url(url: string, env: NodeJS.ProcessEnv = process.env): S3Location {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw badUrl(url, 'not a URL');
  }
  if (u.protocol !== 's3:' || !u.hostname) throw badUrl(url, 'expected s3://BUCKET[/PREFIX][?endpoint=…]');
  const q = u.searchParams;
  const path = decodeURIComponent(u.pathname).replace(/^\/+|\/+$/g, '');
  const truthy = (v: string | null) => v !== null && /^(1|true|yes)$/i.test(v);
  const endpoint = q.get('endpoint') ?? undefined;
  return {
    bucket: u.hostname,
    prefix: path ? `${path}/` : '',
    ...(endpoint ? { endpoint: /^[a-z]+:\/\//.test(endpoint) ? endpoint : `${truthy(q.get('disableSSL')) || truthy(q.get('disable_https')) ? 'http' : 'https'}://${endpoint}` } : {}),
    region: q.get('region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    forcePathStyle: truthy(q.get('s3ForcePathStyle')) || truthy(q.get('use_path_style')),
  };
}

const badUrl = (url: string, why: string) =>
  new AbortError(`PULUMI_BACKEND_URL ${url.replace(/\?.*$/, '')}: ${why}.`, {
    exitCode: EXIT.usage,
    nextStep: 'For example PULUMI_BACKEND_URL=s3://desa-state?endpoint=http://127.0.0.1:7070&s3ForcePathStyle=true&region=us-east-1, with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
  });

/** A backend in an S3 bucket (or an S3-compatible gateway). Credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else the SDK's usual chain. */
export async function s3Store(url: string, env: NodeJS.ProcessEnv = process.env): Promise<BackendStore> {
  const loc = parseS3Url(url, env);
  const { S3Client, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    region: loc.region,
    forcePathStyle: loc.forcePathStyle,
    ...(loc.endpoint ? { endpoint: loc.endpoint } : {}),
    ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } }
      : {}),
  });
  const shown = url.replace(/\?.*$/, '');
  const failed = (what: string, e: unknown) =>
    new AbortError(`cannot ${what} in ${shown}: ${(e as Error).name === 'Error' ? (e as Error).message : `${(e as Error).name}: ${(e as Error).message}`}`, {
      exitCode: EXIT.operationFailed,
      nextStep: 'Check PULUMI_BACKEND_URL (bucket, endpoint, region) and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; `pulumi stack ls` with the same variables shows the same.',
    });
  return {
    url: shown,
    get: async (key) => {
      try {
        const r = await client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.prefix + key }));
        return Buffer.from(await r.Body!.transformToByteArray());
      } catch (e) {
        const name = (e as { name?: string }).name;
        if (name === 'NoSuchKey' || name === 'NotFound' || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
        throw failed(`read ${key}`, e);
      }
    },
    list: async (prefix) => {
      const out: StoredObject[] = [];
      let token: string | undefined;
      try {
        do {
          const r = await client.send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: loc.prefix + prefix, ...(token ? { ContinuationToken: token } : {}) }));
          for (const o of r.Contents ?? []) if (o.Key) out.push({ key: o.Key.slice(loc.prefix.length), modified: o.LastModified?.getTime() ?? 0 });
          token = r.IsTruncated ? r.NextContinuationToken : undefined;
        } while (token);
      } catch (e) {
        throw failed(`list ${prefix}`, e);
      }
      return out.sort((a, b) => a.key.localeCompare(b.key));
    },
    put: async (key, body) => {
      try {
        await client.send(new PutObjectCommand({ Bucket: loc.bucket, Key: loc.prefix + key, Body: body, ContentType: 'application/json' }));
      } catch (e) {
        throw failed(`write ${key}`, e);
      }
    },
    remove: async (key) => {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: loc.bucket, Key: loc.prefix + key }));
      } catch (e) {
        throw failed(`delete ${key}`, e);
      }
    },
  };
}

/** The store of a backend desa can read directly: a folder or an S3 bucket; null for others (Pulumi Cloud). */
export async function storeOf(backend: Backend, env: NodeJS.ProcessEnv = process.env): Promise<BackendStore | null> {
  if (backend.kind === 'file') return fileStore(backend.dir);
  if (backend.url.startsWith('s3://')) return s3Store(backend.url, env);
  return null;
}
