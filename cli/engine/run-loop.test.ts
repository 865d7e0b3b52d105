// The run loop and what follows it: a failing stack keeps its whole diagnostic beside its summary line,
// the target gets the outcome after the run (not after an interrupted one) and can fail it, and the one
// line on why a run failed comes from the target when every stack succeeded.
import { describe, expect, it } from 'vitest';
import { CommandError } from '../../core/errors.ts';
import type { Inventory } from '../../core/inventory/model.ts';
import type { StateDirs } from '../paths.ts';
import { type Context, finish } from './context.ts';
import { failureMessage } from './outcome.ts';
import { type Job, type RunSummary, runAll } from './run-loop.ts';
import type { AfterRun, OpenedTarget } from './target.ts';

const job = (stack: string, fail?: Error): Job => ({
  stack,
  operation: 'up',
  run: async (t) => {
    if (fail) throw fail;
    return t.end('succeeded', { changes: { create: 1, update: 0, delete: 0, same: 0 } });
  },
});

const context = (target: OpenedTarget<{ services: string }>) => ({ target, inventory: { units: [] } as unknown as Inventory, dirs: {} as StateDirs }) as unknown as Context<{ services: string }>;

describe('the run loop', () => {
  it('a stack that throws fails with one line, and keeps the whole diagnostic beside it', async () => {
    const error = new CommandError({ what: 'kubectl get secrets', command: ['kubectl', 'get', 'secrets'], status: 1, signal: null, diagnostic: 'I1203 retrying\nerror: the server has asked for the client to provide credentials' });
    const s = await runAll('up', { concurrency: 2 }, job('platform'), () => [job('sumberjaya', error), job('sukamaju')], () => new Map());
    expect(s.ok).toBe(false);
    const failed = s.stacks.find((r) => r.stack === 'sumberjaya')!;
    expect(failed).toMatchObject({ result: 'failed', error: 'kubectl get secrets: error: the server has asked for the client to provide credentials' });
    expect(failed.detail).toContain('I1203 retrying');
    expect(s.stacks.find((r) => r.stack === 'sukamaju')).toMatchObject({ result: 'succeeded' });
    expect(s.stacks.find((r) => r.stack === 'sukamaju')!.detail).toBeUndefined();
  });

  it('the platform failing skips every desa', async () => {
    const s = await runAll('up', { concurrency: 2 }, job('platform', new Error('boom\nat line 2')), () => [job('sumberjaya')], () => new Map());
    expect(s.stacks.map((r) => [r.stack, r.result, r.error])).toEqual([
      ['platform', 'failed', 'boom'],
      ['sumberjaya', 'skipped', 'platform failed'],
    ]);
  });
});

describe('after the run: the target', () => {
  const ran: RunSummary = { verb: 'up', ok: true, interrupted: false, stacks: [] };

  it('gets the outcome and adds to the summary; its failure fails the run, and explains it', async () => {
    const seen: AfterRun[] = [];
    const target: OpenedTarget<{ services: string }> = {
      config: { 'desa:inventory': '/x/desa.yaml' },
      extras: {},
      identity: null,
      finish: async (r) => (seen.push(r), { ok: false, extras: { services: 'sync failed' } }),
    };
    const s = await finish(context(target), ran, ['karangmukti']);
    expect(seen.map((r) => [r.verb, r.deleteData, r.config])).toEqual([['up', ['karangmukti'], { 'desa:inventory': '/x/desa.yaml' }]]);
    expect(s).toMatchObject({ ok: false, services: 'sync failed' });
    const explain = (x: typeof s) => (x.services ? { message: `servers: ${x.services}`, nextStep: 'look' } : null);
    expect(failureMessage(s, explain)).toEqual({ message: 'servers: sync failed', nextStep: 'look' });
    expect(failureMessage({ ...s, stacks: [{ stack: 'sumberjaya', operation: 'up', result: 'failed', changes: null, seconds: 1 }] }, explain).message).toBe('1 stack(s) failed: sumberjaya.');
  });

  it('is not asked after an interrupted run', async () => {
    let asked = false;
    const target: OpenedTarget<{ services: string }> = { config: {}, extras: {}, identity: null, finish: async () => ((asked = true), { ok: true, extras: {} }) };
    const s = await finish(context(target), { ...ran, ok: false, interrupted: true });
    expect(asked).toBe(false);
    expect(s.interrupted).toBe(true);
  });
});
