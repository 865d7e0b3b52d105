// A new stack of a file backend, created without the Pulumi CLI: what `pulumi stack init` writes (Pulumi
// 3.276, pkg/cmd/pulumi/stack/io.go CreateStack and pkg/backend/diy), written by desa. `stack init` is a
// Go process that derives the passphrase key (PBKDF2-SHA256, 1,000,000 iterations: about 0.2 s of CPU)
// only to write two small files; `pulumi up` derives it again anyway. Here the key is derived once per
// run, in Node's thread pool, and its encryption salt serves every stack the run creates.
//
// What `stack init` writes, and so what is written here:
//   Pulumi.<stack>.yaml (work directory)   encryptionsalt: v1:<salt>:v1:<nonce>:<AES-256-GCM of "pulumi">
//   .pulumi/stacks/<project>/<stack>.json  {"version":3,"checkpoint":{"stack":"organization/<project>/<stack>",
//                                          "latest":{"manifest":{time,magic,version},"secrets_providers":
//                                          {"type":"passphrase","state":{"salt":…}},"metadata":{}}}}
// (the CLI also leaves a .bak of an empty first checkpoint and gocloud's .attrs files beside them; Pulumi
// reads the stack without them). Only where that is exactly reproducible: a file backend whose
// .pulumi/meta.yaml says version 1 (project layout), no compression asked for; anything else goes
// through `pulumi stack init` as before.
//
// One salt for all stacks of a run means one derived key for them: the same passphrase protects them all
// anyway, and every secret gets its own random 96-bit GCM nonce, so sharing the key exposes nothing a
// per-stack salt would hide (a salt only stops precomputation across passphrases).
import { createCipheriv, createDecipheriv, createHash, pbkdf2, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const derive = promisify(pbkdf2);
const ITERATIONS = 1_000_000;

/** The passphrase key: PBKDF2-SHA256 of the passphrase's UTF-8 bytes, 32 bytes (crypt.go NewSymmetricCrypterFromPassphrase). */
export const passphraseKey = (phrase: string, salt: Buffer): Promise<Buffer> => derive(Buffer.from(phrase, 'utf8'), salt, ITERATIONS, 32, 'sha256');

/** `v1:<base64 nonce>:<base64 ciphertext and tag>`: a value encrypted as Pulumi's symmetric crypter does. */
export function encryptValue(key: Buffer, plain: string): string {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  const sealed = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
  return `v1:${nonce.toString('base64')}:${sealed.toString('base64')}`;
}

/** The plain text of a `v1:<nonce>:<ciphertext>` value; throws when the key is not the one it was encrypted with. */
export function decryptValue(key: Buffer, value: string): string {
  const [v, nonce, sealed] = value.split(':');
  if (v !== 'v1' || nonce === undefined || sealed === undefined) throw new Error('not a v1 encrypted value');
  const raw = Buffer.from(sealed, 'base64');
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64'));
  d.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([d.update(raw.subarray(0, raw.length - 16)), d.final()]).toString('utf8');
}

/** A new passphrase encryption salt, as `pulumi stack init` makes one: 8 random bytes, and "pulumi" encrypted to check the passphrase. */
export async function newEncryptionSalt(phrase: string): Promise<string> {
  const salt = randomBytes(8);
  return `v1:${salt.toString('base64')}:${encryptValue(await passphraseKey(phrase, salt), 'pulumi')}`;
}

/** Whether the passphrase opens this encryption salt (the check Pulumi makes before using it). */
export async function saltMatches(phrase: string, state: string): Promise<boolean> {
  const [v, salt] = state.split(':');
  if (v !== 'v1' || !salt) return false;
  try {
    return decryptValue(await passphraseKey(phrase, Buffer.from(salt, 'base64')), state.split(':').slice(2).join(':')) === 'pulumi';
  } catch {
    return false;
  }
}

// Go's unicode.IsSpace, which strings.TrimSpace trims (JS's trim differs: it trims U+FEFF, keeps U+0085).
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const GO_TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');

/**
 * The passphrase the Pulumi CLI reads from its environment (pkg/secrets/passphrase readPassphrase):
 * PULUMI_CONFIG_PASSPHRASE as it is, else PULUMI_CONFIG_PASSPHRASE_FILE's content trimmed of white space.
 * Null when neither is set, or the file is not an absolute path, readable, valid UTF-8 (then the CLI
 * creates the stack, and says what is wrong).
 */
export function enginePassphrase(env: Record<string, string | undefined>): string | null {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return env.PULUMI_CONFIG_PASSPHRASE;
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  // A relative path is the CLI's, from its own working directory: left to it, as an unreadable file is.
  if (!file || !isAbsolute(file)) return null;
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch {
    return null;
  }
  const text = raw.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(raw)) return null;
  return text.replace(GO_TRIM, '');
}

/** The checkpoint `pulumi stack init` writes for a new stack of a passphrase-encrypted file backend. */
export function initialCheckpoint(o: { project: string; stack: string; salt: string; version: string; now?: Date }): string {
  const version = o.version.startsWith('v') ? o.version : `v${o.version}`;
  return JSON.stringify({
    version: 3,
    checkpoint: {
      stack: `organization/${o.project}/${o.stack}`,
      latest: {
        manifest: { time: (o.now ?? new Date()).toISOString(), magic: createHash('sha256').update(version).digest('hex'), version },
        secrets_providers: { type: 'passphrase', state: { salt: o.salt } },
        metadata: {},
      },
    },
  });
}

const COMPRESSION = ['PULUMI_DIY_BACKEND_GZIP', 'PULUMI_DIY_BACKEND_ZSTD', 'PULUMI_SELF_MANAGED_STATE_GZIP', 'PULUMI_SELF_MANAGED_STATE_ZSTD'];

/**
 * Whether desa can create a stack of this file backend itself: the backend's layout is the project one
 * (meta.yaml version 1, written by the engine when it first used the folder), the state is not to be
 * compressed, and the engine's passphrase is known.
 */
export function canCreateDirectly(backendDir: string, env: Record<string, string | undefined>): boolean {
  if (COMPRESSION.some((k) => env[k] !== undefined && env[k] !== '' && !/^(0|false)$/i.test(env[k]!))) return false;
  try {
    const meta = parse(readFileSync(join(backendDir, '.pulumi', 'meta.yaml'), 'utf8')) as { version?: unknown } | null;
    return meta?.version === 1;
  } catch {
    return false;
  }
}

/**
 * Writes a new stack's checkpoint into the file backend, only if it has none: the file appears whole or
 * not at all (written beside, then linked into place), and a stack another runner created meanwhile is
 * left as it is. Returns false then.
 */
export function writeNewCheckpoint(backendDir: string, project: string, stack: string, body: string): boolean {
  const file = join(backendDir, '.pulumi', 'stacks', project, `${stack}.json`);
  if (existsSync(`${file}.gz`) || existsSync(`${file}.zst`)) return false;
  mkdirSync(dirname(file), { recursive: true });
  // Beside the stacks' folder (same file system, for the link), under a name no listing of stacks matches.
  const tmp = join(backendDir, '.pulumi', `.desa-new-${stack}.${process.pid}.${randomBytes(4).toString('hex')}`);
  writeFileSync(tmp, body);
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}
