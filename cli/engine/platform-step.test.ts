import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../core/inventory/load.ts';
import { ROOT } from '../paths.ts';
import { fileStore } from './backend-store.ts';
import type { Context } from './context.ts';
import { platformFingerprint, stackNow, waitingFor } from './platform-step.ts';
import { writeRecord } from './records.ts';

const inventory = loadInventory(join(ROOT, 'desa.yaml')).inventory;

function context(o: { units?: typeof inventory.units; config?: Record<string, unknown> } = {}): Context {
  const base = mkdtempSync(join(tmpdir(), 'platform-'));
  return {
    inventory: { ...inventory, units: o.units ?? inventory.units },
    dirs: { work: join(base, 'work') },
    target: { config: o.config ?? { 'desa:inventory': '/w/desa.yaml' }, extras: {}, identity: { uid: 'uid-1', server: 'https://127.0.0.1:6443' } },
    backendDir: join(base, 'state'),
    store: fileStore(join(base, 'state')),
  } as unknown as Context;
}

describe('the platform stack’s inputs', () => {
  it('any unit, the config and the code count; a settings file of only what desa writes does not', () => {
    const ctx = context();
    const fp = platformFingerprint(ctx, 'code');
    expect(platformFingerprint(context(), 'code')).toBe(fp);
    expect(platformFingerprint(context({ units: inventory.units.slice(1) }), 'code')).not.toBe(fp);
    expect(platformFingerprint(context({ config: { 'desa:inventory': '/other/desa.yaml' } }), 'code')).not.toBe(fp);
    expect(platformFingerprint(ctx, 'other code')).not.toBe(fp);
    mkdirSync(join(ctx.dirs.work, 'platform'), { recursive: true });
    writeFileSync(join(ctx.dirs.work, 'platform', 'Pulumi.platform.yaml'), 'encryptionsalt: v1:x\nconfig:\n  desa:inventory: /w/desa.yaml\n');
    expect(platformFingerprint(ctx, 'code')).toBe(fp);
    writeFileSync(join(ctx.dirs.work, 'platform', 'Pulumi.platform.yaml'), 'config:\n  desa:inventory: /w/desa.yaml\n  desa:platformNamespace: lain\n');
    expect(platformFingerprint(ctx, 'code')).not.toBe(fp);
  });
});

describe('in place, for a shard other than 1', () => {
  const checkpoint = (time: string, locked = false) => ({ time, locked });
  async function backend(ctx: Context, c: ReturnType<typeof checkpoint> | null) {
    const dir = ctx.backendDir!;
    mkdirSync(join(dir, '.pulumi/stacks/desa'), { recursive: true });
    if (c) writeFileSync(join(dir, '.pulumi/stacks/desa/platform.json'), JSON.stringify({ checkpoint: { latest: { manifest: { time: c.time }, resources: [] } } }));
    if (c?.locked) {
      mkdirSync(join(dir, '.pulumi/locks/organization/desa/platform'), { recursive: true });
      writeFileSync(join(dir, '.pulumi/locks/organization/desa/platform/l.json'), JSON.stringify({ pid: 1, hostname: 'runner-1' }));
    }
  }

  it('only when its last update is recorded from the same inputs, on the same cluster, its state untouched since, unlocked', async () => {
    const ctx = context();
    const fp = platformFingerprint(ctx, 'code');
    await backend(ctx, null);
    let now = await stackNow(ctx, 'platform', fp);
    expect(now.unchanged).toBe(false);
    expect(waitingFor(now, null)).toMatch(/has no state yet/);

    await backend(ctx, checkpoint('2026-12-04T01:00:00Z'));
    now = await stackNow(ctx, 'platform', fp);
    expect(now.unchanged).toBe(false);
    expect(waitingFor(now, null)).toMatch(/not recorded as succeeded/);

    await writeRecord(ctx.store, 'platform', { fingerprint: platformFingerprint(context({ units: inventory.units.slice(1) }), 'code'), stateTime: '2026-12-04T01:00:00Z', cluster: 'uid-1' });
    now = await stackNow(ctx, 'platform', fp);
    expect(now.unchanged).toBe(false);
    expect(waitingFor(now, null)).toMatch(/made from other inputs/);

    await writeRecord(ctx.store, 'platform', { fingerprint: fp, stateTime: '2026-12-04T01:00:00Z', cluster: 'uid-1' });
    expect((await stackNow(ctx, 'platform', fp)).unchanged).toBe(true);

    await backend(ctx, checkpoint('2026-12-04T01:00:00Z', true));
    now = await stackNow(ctx, 'platform', fp);
    expect(now.unchanged).toBe(false);
    expect(waitingFor(now, 'process 1 on runner-1')).toMatch(/being updated by process 1 on runner-1/);
  });
});
