// One failed change must not lock a desa (issue 10, item 6): a change that would delete protected data
// says which data would be lost and the flag that releases exactly it; a claim that never bound holds
// nothing and never blocks. The engine's side (the refusal, the state, a targeted refresh) is replayed by a
// stand-in for the Automation API's Stack; test/recovery.e2e.test.ts runs the real engine.
import type { EngineEvent, Stack } from '@pulumi/pulumi/automation/index.js';
import { describe, expect, it } from 'vitest';
import { type Context, type EngineOptions, operate } from './context.ts';
import { blockedCause, describeProtected, neverBound } from './release.ts';
import { Tracker } from './run-loop.ts';

const PVC = 'urn:pulumi:lambangjaya::desa::desa:desa:Desa$desa:desa:Site$kubernetes:core/v1:PersistentVolumeClaim::lambangjaya-site-opensid-files';
const claim = (phase: string, volumeName?: string) => ({
  urn: PVC,
  type: 'kubernetes:core/v1:PersistentVolumeClaim',
  protect: true,
  outputs: {
    metadata: { name: 'opensid-files', namespace: 'desa-lambangjaya', labels: { 'app.kubernetes.io/name': 'opensid', 'app.kubernetes.io/component': 'site' } },
    spec: { resources: { requests: { storage: '5Gi' } }, ...(volumeName ? { volumeName } : {}) },
    status: { phase },
  },
});
const refusal = `resource "${PVC}" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${PVC}'\``;

/** A stack whose update refuses to delete the claim while it is protected in the state. */
function stackWith(resource: ReturnType<typeof claim>) {
  const calls: string[] = [];
  const state = { version: 3, deployment: { resources: [structuredClone(resource)] } };
  const run = async (o: { onEvent?: (e: EngineEvent) => void }) => {
    calls.push('up');
    if (state.deployment.resources[0]!.protect) {
      o.onEvent?.({ sequence: 1, timestamp: 0, diagnosticEvent: { urn: PVC, message: refusal, color: 'never', severity: 'error' } });
      throw new Error('code: 255\n stderr: error: update failed');
    }
    o.onEvent?.({ sequence: 2, timestamp: 0, summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: { delete: 1, same: 20 }, policyPacks: {} } });
    return {};
  };
  const stack = {
    up: run,
    preview: run,
    exportStack: async () => structuredClone(state),
    importStack: async (s: typeof state) => {
      calls.push('import');
      state.deployment = s.deployment;
    },
    refresh: async (o: { target?: string[] }) => void calls.push(`refresh ${o.target?.join(',')}`),
  } as unknown as Stack;
  return { stack, calls, state };
}

const opts = {} as EngineOptions;
// No lock files to read: the engine's error is all a lock would be known by (none here).
const ctx = { backendDir: null } as unknown as Context;
const tracker = (op: 'up' | 'preview' = 'up') => new Tracker('lambangjaya', op, null, undefined);

describe('protected data a change would delete', () => {
  it('a claim that never bound (Pending, no volume) holds no data; one that bound does', () => {
    expect(neverBound(claim('Pending'))).toBe(true);
    expect(neverBound(claim('Bound', 'pvc-1'))).toBe(false);
    expect(neverBound(claim('Lost', 'pvc-1'))).toBe(false);
    const [d] = describeProtected([claim('Bound', 'pvc-1')], [PVC]);
    expect(d).toMatchObject({ name: 'lambangjaya-site-opensid-files', kind: 'PersistentVolumeClaim', neverBound: false });
    expect(d!.what).toBe('the volume opensid-files of the opensid site (PersistentVolumeClaim in desa-lambangjaya, 5Gi; bound: its files would be lost)');
  });

  it('an update blocked by data says what would be lost and the flag that releases exactly it; nothing is released', async () => {
    const { stack, calls, state } = stackWith(claim('Bound', 'pvc-1'));
    const r = await operate(ctx, stack, 'up', tracker(), opts, { protectedData: { slug: 'lambangjaya' } });
    expect(r.result).toBe('failed');
    expect(r.error).toBe('the change needs to delete protected data: the volume opensid-files of the opensid site (PersistentVolumeClaim in desa-lambangjaya, 5Gi; bound: its files would be lost)');
    expect(r.cause).toContain('To delete it: desa up --only lambangjaya --release-data lambangjaya-site-opensid-files');
    expect(r.protectedData?.map((d) => d.name)).toEqual(['lambangjaya-site-opensid-files']);
    expect(calls).toEqual(['up']);
    expect(state.deployment.resources[0]!.protect).toBe(true);
  });

  it('an empty claim that never bound does not block: refreshed to be sure, released, and the update runs again', async () => {
    const { stack, calls, state } = stackWith(claim('Pending'));
    const r = await operate(ctx, stack, 'up', tracker(), opts, { protectedData: { slug: 'lambangjaya' } });
    expect(r.result).toBe('succeeded');
    expect(calls).toEqual(['up', `refresh ${PVC}`, 'import', 'up']);
    expect(state.deployment.resources[0]!.protect).toBe(false);
    expect(r.note).toMatch(/^released the volume opensid-files of the opensid site .*never bound: empty/);
  });

  it('a plan changes nothing: it says `desa up` releases the empty claim, and does not fail on it', async () => {
    const { stack, calls, state } = stackWith(claim('Pending'));
    const r = await operate(ctx, stack, 'preview', tracker('preview'), opts, { protectedData: { slug: 'lambangjaya' } });
    expect(r.result).toBe('succeeded');
    expect(r.note).toMatch(/^`desa up` releases the volume opensid-files/);
    expect(r.steps?.map((s) => [s.op, s.name])).toEqual([['delete', 'lambangjaya-site-opensid-files']]);
    expect(calls).toEqual(['up']);
    expect(state.deployment.resources[0]!.protect).toBe(true);
  });

  it('the message for a plan speaks of what `up` would do', () => {
    const { error, cause } = blockedCause('lambangjaya', describeProtected([claim('Bound', 'pvc-1')], [PVC]), true);
    expect(error).toMatch(/^this change would delete protected data: the volume opensid-files/);
    expect(cause).toContain('`desa up` would fail here');
  });
});
