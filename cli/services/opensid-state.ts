// What the OpenSID sync keeps per desa between runs (opensid/state/<slug>.json, 0600): which account,
// database and release it set up, and hashes of the secrets it last applied, never a password.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeIfChanged } from '../servers/files.ts';

/** What the sync last applied to a desa (opensid/state/<slug>.json, 0600): hashes, never a password. */
export interface SiteState {
  slug: string;
  username: string;
  database: string;
  release: string | null;
  password: string | null;
  admin: string | null;
  provisioned: boolean;
  offboarded: string | null;
}

export const fingerprint = (slug: string, secret: string) => createHash('sha256').update(`${slug}\0${secret}`).digest('hex');

export function readSiteState(file: string): SiteState | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SiteState;
  } catch {
    return null;
  }
}

export const writeSiteState = (file: string, s: SiteState) => writeIfChanged(file, `${JSON.stringify(s, null, 2)}\n`, 0o600);

/** The slugs the sync has provisioned here before (their state files). */
export function knownSites(dir: string): string[] {
  const d = join(dir, 'opensid', 'state');
  return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)) : [];
}
