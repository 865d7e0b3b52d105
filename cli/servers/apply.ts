// Files the sync hands a running server (Postfix's maps, OpenDKIM's key and tables, later one config per
// desa): written atomically, only when they differ, and the server made to re-read them. The hash of
// what a server has re-read is kept in state.json, so a reload that failed, or was skipped while the
// server was down, is done by the next sync even though the files no longer change.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeIfChanged } from './files.ts';
import { pidOf, serverContext } from './host.ts';
import { readState, updateState } from './state.ts';
import { hostOf, reloadServer, type SupervisorOptions } from './supervisor.ts';
import { lookupOwner } from './system.ts';

export interface InstanceFile {
  /** Relative to the services folder. */
  path: string;
  content: string;
  mode: number;
  /** user[:group], as root. */
  owner?: string;
}

export interface ApplyOptions {
  /** The inventory's domain (what the server's config was rendered with). */
  domain: string;
  /** Remove the other files of this folder (relative): one file per instance, the gone ones removed. */
  prune?: string;
}

/** Writes `files` for `server` under the name `set`, and makes it re-read them when it runs and has not yet. */
export async function applyFiles(o: SupervisorOptions, server: string, set: string, files: readonly InstanceFile[], a: ApplyOptions): Promise<{ changed: boolean; reloaded: boolean }> {
  const h = hostOf(o);
  const spec = h.servers.find((s) => s.name === server);
  if (!spec) throw new Error(`${server} is not a local server`);
  let changed = false;
  for (const f of files) {
    const owner = f.owner && h.identity.root ? lookupOwner(f.owner) : null;
    changed = writeIfChanged(join(h.dir, f.path), f.content, f.mode, { owner }) || changed;
  }
  if (a.prune && existsSync(join(h.dir, a.prune))) {
    const keep = new Set(files.map((f) => join(h.dir, f.path)));
    for (const name of readdirSync(join(h.dir, a.prune))) {
      const path = join(h.dir, a.prune, name);
      if (!keep.has(path)) {
        rmSync(path, { recursive: true, force: true });
        changed = true;
      }
    }
  }
  const state = readState(h.dir);
  const pid = state && pidOf(h, spec, state);
  if (!state || pid === null) return { changed, reloaded: false };
  const key = `${server}/${set}`;
  const hash = createHash('sha256').update(JSON.stringify(files.map((f) => [f.path, f.content, f.mode]))).digest('hex');
  if (state.applied[key] === hash) return { changed, reloaded: false };
  const how = await reloadServer(h, spec, serverContext(h, state.ports, { domain: a.domain, kabupaten: '' /* a reload renders no config */ }), pid);
  if (how === 'restart') throw new Error(`${server} re-reads ${set} only on a restart: give its spec a reload signal or command`);
  updateState(h.dir, (s) => void (s.applied[key] = hash));
  return { changed, reloaded: true };
}
