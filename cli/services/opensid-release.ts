// The OpenSID release the local servers serve, from `desa:opensid.source`: an https URL (downloaded once
// into the services folder), a .tar.gz file, or an unpacked folder. A tarball's sha256 is checked before
// anything is unpacked; the release is unpacked once per checksum into opensid/releases/<id>, owned by
// the user desa runs as and read-only for everyone else, with the empty folders OpenSID's code expects
// (git archive leaves them out). Nothing of it is ever copied into the repository.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AbortError, EXIT } from '../../core/errors.ts';
import { run } from '../process.ts';

export interface ReleaseSource {
  source: string;
  sha256?: string | undefined;
}

export interface Release {
  /** What identifies it: the tarball's sha256, or the folder's path hashed. */
  id: string;
  /** The unpacked release: index.php, donjo-app/, vendor/ … */
  dir: string;
  /** OpenSID's own VERSION (donjo-app/helpers/opensid_helper.php), such as 2410.0.0. */
  version: string;
}

/** Folders OpenSID's code creates under the release at run time, which a read-only copy must already have. */
export const EXPECTED_FOLDERS = ['donjo-app/Middleware'] as const;

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(file), h);
  return h.digest('hex');
}

function refused(message: string, nextStep: string): AbortError {
  return new AbortError(message, { exitCode: EXIT.operationFailed, nextStep });
}

const FIX = 'Check `desa:opensid.source` and `desa:opensid.sha256` (on the local cluster: DESA_OPENSID_SOURCE and DESA_OPENSID_SHA256).';

/** The tarball of a URL source: downloaded once into `downloads`, kept only when its checksum matches. */
async function download(url: string, sha256: string, downloads: string): Promise<string> {
  const file = join(downloads, `${sha256}.tar.gz`);
  if (existsSync(file)) return file;
  mkdirSync(downloads, { recursive: true, mode: 0o755 });
  const tmp = `${file}.part`;
  const r = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(600_000) });
  if (!r.ok || !r.body) throw refused(`downloading the OpenSID release ${url} failed: HTTP ${r.status}.`, FIX);
  await pipeline(Readable.fromWeb(r.body as import('node:stream/web').ReadableStream), createWriteStream(tmp, { mode: 0o644 }));
  const got = await sha256File(tmp);
  if (got !== sha256) {
    rmSync(tmp, { force: true });
    throw refused(`the OpenSID release downloaded from ${url} has the sha256 ${got}, not the ${sha256} configured.`, FIX);
  }
  renameSync(tmp, file);
  return file;
}

function versionOf(dir: string): string {
  const helper = join(dir, 'donjo-app', 'helpers', 'opensid_helper.php');
  const m = existsSync(helper) ? /define\('VERSION',\s*'([^']+)'\)/.exec(readFileSync(helper, 'utf8')) : null;
  if (!m) throw refused(`${dir} does not look like an OpenSID release (no VERSION in donjo-app/helpers/opensid_helper.php).`, FIX);
  return m[1]!;
}

/** The release, unpacked under `dir`/opensid/releases (once per checksum). */
export async function prepareRelease(dir: string, s: ReleaseSource, env: NodeJS.ProcessEnv): Promise<Release> {
  const releases = join(dir, 'opensid', 'releases');
  mkdirSync(releases, { recursive: true, mode: 0o755 });
  const isUrl = s.source.startsWith('https://');
  const isFolder = !isUrl && existsSync(s.source) && statSync(s.source).isDirectory();
  if (!isUrl && !existsSync(s.source)) throw refused(`the OpenSID release ${s.source} does not exist.`, FIX);
  let id: string;
  let tarball: string | null = null;
  if (isFolder) {
    id = `folder-${createHash('sha256').update(s.source).digest('hex').slice(0, 16)}`;
  } else {
    if (!s.sha256) throw refused(`the OpenSID release ${s.source} has no sha256 to check it against.`, FIX);
    tarball = isUrl ? await download(s.source, s.sha256, join(dir, 'opensid', 'downloads')) : s.source;
    id = s.sha256.slice(0, 16);
  }
  const target = join(releases, id);
  // A folder source may change: copied afresh when it has a newer VERSION than the copy.
  if (existsSync(target) && !(isFolder && versionOf(s.source) !== versionOf(target))) return { id, dir: target, version: versionOf(target) };

  if (tarball) {
    const got = await sha256File(tarball);
    if (got !== s.sha256) throw refused(`the OpenSID release ${s.source} has the sha256 ${got}, not the ${s.sha256} configured.`, FIX);
  }
  const tmp = `${target}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { mode: 0o755 });
  if (tarball) {
    // git archive puts everything under one folder (opensid-2410.0.0/): strip it.
    await run('tar', ['-xzf', tarball, '-C', tmp, '--strip-components=1', '--no-same-owner', '--no-same-permissions'], { env, timeout: 600_000, what: `unpacking ${tarball}` });
  } else {
    await run('cp', ['-a', '--no-preserve=ownership', `${s.source}/.`, tmp], { env, timeout: 600_000, what: `copying ${s.source}` });
  }
  // Read-only for everyone but its owner, whatever modes the archive carried.
  await run('chmod', ['-R', 'u+rwX,go+rX,go-w', tmp], { env, what: 'chmod of the OpenSID release' });
  for (const f of EXPECTED_FOLDERS) mkdirSync(join(tmp, f), { recursive: true, mode: 0o755 });
  const version = versionOf(tmp);
  rmSync(target, { recursive: true, force: true });
  renameSync(tmp, target);
  return { id, dir: target, version };
}
