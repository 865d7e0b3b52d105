import { describe, expect, it } from 'vitest';
import { parseListing } from '../cluster/objects.ts';
import { addedByHand, driftCollector, driftLines, driftOfStep } from './drift-model.ts';
import { driftSummaryLines } from '../ui/run-summary.ts';
import { exitCodeOf, failureMessage } from './outcome.ts';
import type { RunSummary } from './run-loop.ts';

const obj = (type: string, namespace: string | undefined, name: string) => ({
  type,
  urn: `urn:pulumi:sumberjaya::desa::desa:desa:Desa$${type}::${name}`,
  provider: '',
  old: { type, urn: '', custom: true, id: namespace ? `${namespace}/${name}` : name, parent: '', provider: '', inputs: {}, outputs: { metadata: { name, ...(namespace ? { namespace } : {}) } } },
});

describe('drift from a refresh preview', () => {
  it('a resource without a refreshed state is gone; one with differing keys changed; others match', () => {
    const ns = obj('kubernetes:core/v1:Namespace', undefined, 'desa-sumberjaya');
    expect(driftOfStep({ ...ns, op: 'refresh' } as never)).toEqual({ kind: 'gone', type: 'Namespace', name: 'desa-sumberjaya' });
    expect(driftOfStep({ ...ns, op: 'delete', new: ns.old } as never)).toMatchObject({ kind: 'gone' });
    const cm = obj('kubernetes:core/v1:ConfigMap', 'desa-sumberjaya', 'profil-content');
    expect(driftOfStep({ ...cm, op: 'refresh', new: cm.old, diffs: ['data', 'metadata'], detailedDiff: { 'data.index.html': { kind: 'update', inputDiff: false } } } as never)).toEqual({
      kind: 'changed', type: 'ConfigMap', name: 'desa-sumberjaya/profil-content', fields: ['data', 'metadata'],
    });
    expect(driftOfStep({ ...cm, op: 'update', new: cm.old } as never)).toMatchObject({ kind: 'changed' });
    expect(driftOfStep({ ...cm, op: 'refresh', new: cm.old } as never)).toBeNull();
    expect(driftOfStep({ ...cm, op: 'same', new: cm.old } as never)).toBeNull();
    expect(driftOfStep({ ...obj('pulumi:providers:kubernetes', undefined, 'kubernetes'), op: 'refresh' } as never)).toBeNull();
  });

  it('collects one item per resource from the events', () => {
    const c = driftCollector();
    const sec = obj('kubernetes:core/v1:Secret', 'desa-platform', 'mailbox-sumberjaya-operator');
    c.onEvent({ sequence: 1, timestamp: 0, resourcePreEvent: { metadata: { ...sec, op: 'refresh' } } } as never);
    c.onEvent({ sequence: 2, timestamp: 0, resOutputsEvent: { metadata: { ...sec, op: 'refresh' } } } as never);
    expect(c.items()).toEqual([{ kind: 'gone', type: 'Secret', name: 'desa-platform/mailbox-sumberjaya-operator' }]);
  });
});

describe('objects added by hand', () => {
  const listed = parseListing(
    [
      'Secret\tdesa-sumberjaya\textra\tOpaque\t\t',
      'ConfigMap\tdesa-sumberjaya\tkube-root-ca.crt\t\t\t',
      'ConfigMap\tdesa-sumberjaya\tprofil-content\t\t\tsumberjaya',
      'Secret\tdesa-platform\tmailbox-sumberjaya-boss\tOpaque\t\tsumberjaya',
      'Secret\tdesa-platform\tsomething\tOpaque\t\t',
      'Secret\tdesa-other\tx\tOpaque\t\t',
      'ReplicaSet\tdesa-sumberjaya\tprofil-abc\t\tDeployment\t',
    ].join('\n'),
  );
  it('are in a namespace a stack owns, in no state, not Kubernetes’ own; in the platform namespace they go by slug label', () => {
    const added = addedByHand(listed, {
      managed: new Set(['ConfigMap/desa-sumberjaya/profil-content']),
      namespaces: new Map([['desa-sumberjaya', 'sumberjaya']]),
      shared: 'desa-platform',
      shared_stack: 'platform',
      stackOfSlug: new Map([['sumberjaya', 'sumberjaya']]),
    });
    expect(Object.fromEntries(added)).toEqual({
      sumberjaya: [
        { kind: 'added', type: 'Secret', name: 'desa-sumberjaya/extra' },
        { kind: 'added', type: 'Secret', name: 'desa-platform/mailbox-sumberjaya-boss' },
      ],
      platform: [{ kind: 'added', type: 'Secret', name: 'desa-platform/something' }],
    });
  });
});

describe('the drift summary', () => {
  const gone = [
    { kind: 'gone' as const, type: 'Namespace', name: 'desa-sumberjaya' },
    { kind: 'gone' as const, type: 'ConfigMap', name: 'desa-sumberjaya/profil-content' },
    { kind: 'gone' as const, type: 'Deployment', name: 'desa-sumberjaya/profil' },
    { kind: 'gone' as const, type: 'Secret', name: 'desa-platform/mailbox-lambangsari-operator' },
  ];
  const run = (drift: Record<string, typeof gone>): RunSummary => ({
    verb: 'drift',
    ok: true,
    interrupted: false,
    stacks: ['platform', 'lambangsari', 'sumberjaya'].map((stack) => ({ stack, operation: 'refresh', result: 'succeeded', changes: null, seconds: 1, drift: drift[stack] ?? [] })),
  });

  it('names each object, folds what was inside a deleted namespace, says how to repair; exit 5', () => {
    const s = run({ sumberjaya: gone.slice(0, 3), lambangsari: gone.slice(3) });
    expect(driftLines(gone.slice(0, 3))).toEqual(['gone from the cluster: Namespace desa-sumberjaya (and 2 object(s) in it)']);
    expect(driftSummaryLines(s)).toEqual([
      'lambangsari  gone from the cluster: Secret desa-platform/mailbox-lambangsari-operator',
      'sumberjaya   gone from the cluster: Namespace desa-sumberjaya (and 2 object(s) in it)',
      '3 stack(s): 2 differ from their state, 1 match.',
      'Repair: desa up --refresh --only lambangsari sumberjaya',
    ]);
    expect(exitCodeOf(s)).toBe(5);
    expect(failureMessage(s).message).toBe('Drift: 2 stack(s) differ from what their state says: lambangsari, sumberjaya.');
  });

  it('none: exit 0; a stack that could not be compared: exit 4, whatever else drifted', () => {
    expect(exitCodeOf(run({}))).toBe(0);
    expect(driftSummaryLines(run({}))).toEqual(['3 stack(s): 0 differ from their state, 3 match.']);
    const s = run({ sumberjaya: gone });
    s.ok = false;
    s.stacks[1] = { ...s.stacks[1]!, result: 'failed', error: 'the stack is locked' };
    expect(exitCodeOf(s)).toBe(4);
  });
});
