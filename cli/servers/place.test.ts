import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closedToOthers, placeServersFolder, relocatedPath, removeServersFolder } from './place.ts';

/** A checkout inside a folder only its owner may enter (Debian's 0700 home folders, /root). */
function privateCheckout() {
  const top = mkdtempSync(join(tmpdir(), 'place-'));
  chmodSync(top, 0o755);
  const home = join(top, 'var-lib-desa');
  const priv = join(top, 'home-budi');
  mkdirSync(join(priv, 'desa', '.desa'), { recursive: true });
  chmodSync(priv, 0o700);
  return { top, home, dir: join(priv, 'desa', '.desa', 'services') };
}

describe('where the servers’ files go (issue 12: a checkout in a 0700 folder)', () => {
  it('finds the folders on the way that others cannot enter', () => {
    const modes: Record<string, number> = { '/': 0o755, '/home': 0o755, '/home/budi': 0o700, '/home/budi/desa': 0o755 };
    expect(closedToOthers('/home/budi/desa/.desa/services', (p) => (p in modes ? { mode: modes[p]! } : undefined))).toEqual(['/home/budi']);
    expect(closedToOthers('/srv/desa', () => ({ mode: 0o755 }))).toEqual([]);
  });

  it('as root in a private folder: a folder of the project’s own, open to the servers’ users, that .desa/services links to', () => {
    const { home, dir } = privateCheckout();
    const placed = placeServersFolder(dir, { root: true, home });
    expect(placed).toEqual({ dir: relocatedPath(dir, home), relocated: true });
    expect(lstatSync(dir).isSymbolicLink()).toBe(true);
    expect(realpathSync(dir)).toBe(placed.dir);
    expect(closedToOthers(placed.dir)).toEqual([]);
    expect(statSync(placed.dir).mode & 0o777).toBe(0o755);
    expect(relocatedPath(dir, '/var/lib/desa')).toMatch(/^\/var\/lib\/desa\/services-[0-9a-f]{12}$/); // short: unix sockets under it
    // Again: the same folder; files written through the link are there.
    writeFileSync(join(dir, 'state.json'), '{}');
    expect(placeServersFolder(dir, { root: true, home })).toEqual(placed);
    expect(readFileSync(join(placed.dir, 'state.json'), 'utf8')).toBe('{}');
    // A reset deletes both.
    removeServersFolder(dir);
    expect(existsSync(dir) || existsSync(placed.dir)).toBe(false);
  });

  it('what a run before left in a real folder there moves along', () => {
    const { home, dir } = privateCheckout();
    mkdirSync(join(dir, 'mail'), { recursive: true });
    writeFileSync(join(dir, 'mail', 'users'), 'budi:x\n');
    const placed = placeServersFolder(dir, { root: true, home });
    expect(readFileSync(join(placed.dir, 'mail', 'users'), 'utf8')).toBe('budi:x\n');
    expect(readFileSync(join(dir, 'mail', 'users'), 'utf8')).toBe('budi:x\n');
  });

  it('stays beside desa.yaml when its folders are open, or when desa is not root (the servers run as the user)', () => {
    const { top, home, dir } = privateCheckout();
    expect(placeServersFolder(dir, { root: false, home })).toEqual({ dir, relocated: false });
    const open = join(top, 'srv', '.desa', 'services');
    expect(placeServersFolder(open, { root: true, home })).toEqual({ dir: open, relocated: false });
    expect(existsSync(home)).toBe(false);
  });
});
