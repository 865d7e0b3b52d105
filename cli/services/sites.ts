// The profil pages on nginx: one folder per site under web/sites, <name>/index.html, served for
// <name>.<domain> (no reload needed); folders of sites no longer wanted are removed.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeIfChanged } from '../servers/files.ts';
import type { LocalServices } from '../servers/state.ts';
import type { Site } from './desired.ts';

export function writeSites(s: LocalServices, sites: readonly Site[]): { changed: number; removed: number } {
  const root = join(s.dir, 'web', 'sites');
  mkdirSync(root, { recursive: true, mode: 0o755 });
  let changed = 0;
  let removed = 0;
  const wanted = new Set(sites.map((x) => x.name));
  for (const site of sites) {
    mkdirSync(join(root, site.name), { recursive: true, mode: 0o755 });
    if (writeIfChanged(join(root, site.name, 'index.html'), site.html, 0o644)) changed++;
  }
  for (const name of readdirSync(root)) {
    if (!wanted.has(name)) {
      rmSync(join(root, name), { recursive: true, force: true });
      removed++;
    }
  }
  return { changed, removed };
}
