// What a failed or planned operation tells the user (issue 10, items 5 and 14): the whole cause, per
// failing resource, never the wrapper's "1 error occurred:"; every line of a multi-line message; the
// resources each step touches; the protected resources a change would delete. The adapter is run over
// a stand-in for the Automation API's Stack that replays engine events as the engine sends them.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent, Stack } from '@pulumi/pulumi/automation/index.js';
import { describe, expect, it } from 'vitest';
import { summaryLines } from '../ui/run-summary.ts';
import { runOperation } from './automation.ts';
import { causeOf, describeStep, protectedDeletes, resourceOf, type Step, stepOf, stepWarnings } from './diagnostics.ts';
import { keepFailureLogs } from './failure-log.ts';
import type { RunSummary } from './run-loop.ts';

const PVC = 'urn:pulumi:lambangjaya::desa::desa:desa:Desa$desa:desa:Site$kubernetes:core/v1:PersistentVolumeClaim::lambangjaya-site-opensid-files';
const ROOT = 'urn:pulumi:lambangjaya::desa::pulumi:pulumi:Stack::desa-lambangjaya';
const pending =
  '1 error occurred:\n\t* resource desa-lambangjaya/opensid-files was not successful: timed out waiting for the claim to be Bound;\n' +
  '\tits status is Pending: no persistent volumes available for this claim and no storage class is set\n\n';
const twoLines =
  'Lambangjaya (lambangjaya) uses the opensid template but no OpenSID image is configured.\n' +
  'Set it with `pulumi config set --path desa:images.opensid <registry/image:tag>` (see templates/opensid/README.md).';

const diag = (urn: string, message: string): EngineEvent => ({ sequence: 0, timestamp: 0, diagnosticEvent: { urn, message, color: 'never', severity: 'error' } });

/** A stand-in for a Stack whose operation replays `events` and then fails (or not). */
function replaying(events: EngineEvent[], fail: Error | null): Stack {
  const run = async (o: { onEvent?: (e: EngineEvent) => void }) => {
    for (const e of events) o.onEvent?.(e);
    if (fail) throw fail;
    return {};
  };
  return { up: run, preview: run, destroy: run } as unknown as Stack;
}

const cliError = new Error('code: 255\n stdout: Updating (lambangjaya):\n ... \n stderr: error: update failed\n');

describe('the cause of a failure', () => {
  it('is what the failing resource said, every line, not the wrapper "1 error occurred:"', async () => {
    const r = await runOperation(replaying([diag(PVC, pending), diag(ROOT, 'update failed')], cliError), 'up');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBe('PersistentVolumeClaim lambangjaya-site-opensid-files: resource desa-lambangjaya/opensid-files was not successful: timed out waiting for the claim to be Bound;');
    expect(r.cause).toEqual([r.error, '  its status is Pending: no persistent volumes available for this claim and no storage class is set']);
    // Everything is still there for the log file.
    expect(r.detail).toContain('1 error occurred:');
    expect(r.detail).toContain('stderr: error: update failed');
  });

  it('keeps every line of a multi-line message (plan used to drop the instruction)', async () => {
    const r = await runOperation(replaying([diag(ROOT, `Running program failed with an unhandled exception:\n${twoLines}`)], cliError), 'preview');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.cause.join('\n')).toContain('Set it with `pulumi config set --path desa:images.opensid <registry/image:tag>`');
    expect(causeOf([{ urn: ROOT, message: twoLines }])).toEqual([twoLines.split('\n')[0], `  ${twoLines.split('\n')[1]}`]);
  });

  it('counts a message repeated by the engine once, and falls back on the CLI\'s error line', async () => {
    expect(causeOf([{ urn: PVC, message: pending }, { urn: PVC, message: pending }]).filter((l) => !l.startsWith(' '))).toHaveLength(1);
    const r = await runOperation(replaying([], new Error('code: 255\n stderr: error: could not get the lock')), 'up');
    expect(r.ok ? null : r.error).toBe('could not get the lock');
  });
});

describe('the log of a failed stack', () => {
  it('is kept in .desa/work/<stack>/last-error.log (0600), named by the summary under the whole cause', () => {
    const work = mkdtempSync(join(tmpdir(), 'desa-log-'));
    const s: RunSummary = {
      verb: 'up',
      ok: false,
      interrupted: false,
      stacks: [
        { stack: 'platform', operation: 'up', result: 'succeeded', changes: { create: 0, update: 0, delete: 0, same: 9 }, seconds: 2 },
        { stack: 'lambangjaya', operation: 'up', result: 'failed', changes: null, seconds: 304, error: 'PersistentVolumeClaim x: not bound;', cause: 'PersistentVolumeClaim x: not bound;\n  its status is Pending', detail: 'the whole output' },
      ],
    };
    const kept = keepFailureLogs(work, s, new Date('2026-12-01T10:00:00Z'));
    const log = join(work, 'lambangjaya', 'last-error.log');
    expect(kept.stacks[1]!.log).toBe(log);
    expect(statSync(log).mode & 0o777).toBe(0o600);
    const text = readFileSync(log, 'utf8');
    expect(text).toContain('its status is Pending');
    expect(text).toContain('the whole output');
    const lines = summaryLines(kept, work);
    expect(lines.slice(0, 3)).toEqual([
      'lambangjaya  FAILED after 5m 04s: PersistentVolumeClaim x: not bound;',
      '               its status is Pending',
      '             full log: lambangjaya/last-error.log',
    ]);
    // A later success removes the stale log.
    keepFailureLogs(work, { ...s, ok: true, stacks: [{ ...s.stacks[1]!, result: 'succeeded', changes: { create: 0, update: 1, delete: 0, same: 3 } }] });
    expect(() => statSync(log)).toThrow();
  });
});

describe('the resources a step touches', () => {
  const secret = (op: string, extra: object = {}) => ({
    op,
    urn: 'urn:pulumi:sumberjaya::desa::desa:desa:Desa$desa:desa:Mailboxes$kubernetes:core/v1:Secret::sumberjaya-mail-bendahara',
    type: 'kubernetes:core/v1:Secret',
    ...extra,
  });

  it('names the Kubernetes object, from the new inputs or, for a delete, the old outputs', () => {
    const create = stepOf(secret('create', { new: { custom: true, inputs: { metadata: { name: 'mailbox-sumberjaya-bendahara', namespace: 'desa-platform' } } } }))!;
    expect(create).toMatchObject({ op: 'create', kind: 'Secret', name: 'sumberjaya-mail-bendahara', object: { name: 'mailbox-sumberjaya-bendahara', namespace: 'desa-platform' } });
    expect(describeStep(create)).toBe('Secret mailbox-sumberjaya-bendahara (desa-platform)');
    const del = stepOf(secret('delete', { old: { custom: true, outputs: { metadata: { name: 'mailbox-sumberjaya-bendahara', namespace: 'desa-platform' } } } }))!;
    expect(del.op).toBe('delete');
    expect(del.object?.name).toBe('mailbox-sumberjaya-bendahara');
  });

  it('leaves out unchanged resources, components, providers and names a preview does not know yet', () => {
    expect(stepOf(secret('same'))).toBeNull();
    expect(stepOf({ op: 'create', urn: 'urn:pulumi:s::desa::desa:desa:Desa::s', type: 'desa:desa:Desa', new: { custom: false } })).toBeNull();
    expect(stepOf({ op: 'create', urn: 'urn:pulumi:s::desa::pulumi:providers:kubernetes::kubernetes', type: 'pulumi:providers:kubernetes' })).toBeNull();
    const unknown = stepOf(secret('create', { new: { custom: true, inputs: { metadata: { name: '04da6b54-80e4-46f7-96ec-b56ff0331ba9' } } } }))!;
    expect(describeStep(unknown)).toBe('Secret sumberjaya-mail-bendahara');
  });

  it('a preview lists what it would do; an update what it did', async () => {
    const pre = (op: string): EngineEvent => ({ sequence: 1, timestamp: 0, resourcePreEvent: { metadata: secret(op, { new: { custom: true, inputs: {} } }) as never } });
    const out = (op: string): EngineEvent => ({ sequence: 2, timestamp: 0, resOutputsEvent: { metadata: secret(op, { new: { custom: true, inputs: {} } }) as never } });
    const preview = await runOperation(replaying([pre('create')], null), 'preview');
    expect(preview.steps.map((s) => s.op)).toEqual(['create']);
    const up = await runOperation(replaying([pre('create')], null), 'up');
    expect(up.steps).toEqual([]);
    const done = await runOperation(replaying([pre('create'), out('create')], null), 'up');
    expect(done.steps.map((s) => s.op)).toEqual(['create']);
  });
});

describe('plan lists each resource it would change, deletes first, and warns of a mailbox removed (issue 10, item 14)', () => {
  const step = (op: Step['op'], kind: string, name: string, namespace: string): Step => ({ op, urn: `urn:pulumi:sumberjaya::desa::kubernetes:x:${kind}::p-${name}`, type: `kubernetes:x:${kind}`, kind, name: `p-${name}`, object: { name, namespace } });
  const steps = [
    step('create', 'Secret', 'mailbox-sumberjaya-bendahara', 'desa-platform'),
    step('update', 'ConfigMap', 'profil-content', 'desa-sumberjaya'),
    step('delete', 'Secret', 'mailbox-sumberjaya-operator', 'desa-platform'),
  ];
  const warnings = stepWarnings(steps, { slug: 'sumberjaya', domain: 'desa.bekasikab.go.id', planned: true });

  it('a mailbox Secret deleted is a mailbox removed whose Maildir is kept', () => {
    expect(warnings).toEqual([
      '`desa up` removes the mailbox sumberjaya.operator@desa.bekasikab.go.id: it will no longer log in or receive mail. Its Maildir, with the mail in it, is kept on the mail server (adding the role back gives it back, with a new password); only `desa destroy --only sumberjaya --delete-data` deletes it.',
    ]);
    expect(stepWarnings(steps, { slug: 'sumberjaya', domain: 'desa.bekasikab.go.id', planned: false })[0]).toMatch(/^removed the mailbox sumberjaya\.operator@desa\.bekasikab\.go\.id: it no longer logs in or receives mail\./);
    // Another desa's prefix, or a Secret created, is no removal.
    expect(stepWarnings(steps, { slug: 'sumber', domain: 'd', planned: true })).toEqual([]);
    expect(stepWarnings(steps.slice(0, 2), { slug: 'sumberjaya', domain: 'd', planned: true })).toEqual([]);
  });

  it('the plan summary lists the resources under the stack line, and the warning', () => {
    const lines = summaryLines({
      verb: 'plan',
      ok: true,
      interrupted: false,
      stacks: [{ stack: 'sumberjaya', operation: 'preview', result: 'succeeded', changes: { create: 1, update: 1, delete: 1, same: 20 }, seconds: 2, steps, warnings }],
    });
    expect(lines.slice(0, 5)).toEqual([
      'sumberjaya  1 to create, 1 to update, 1 to delete, 20 unchanged in 2.0s',
      '            delete   Secret mailbox-sumberjaya-operator (desa-platform)',
      '            update   ConfigMap profil-content (desa-sumberjaya)',
      '            create   Secret mailbox-sumberjaya-bendahara (desa-platform)',
      `            warning: ${warnings[0]}`,
    ]);
  });
});

describe('protected resources a change would delete', () => {
  it('are read from the engine\'s refusal, delete or replace', () => {
    const del = `resource "${PVC}" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${PVC}'\``;
    const rep = `unable to replace resource "${ROOT}x"\nas it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag`;
    expect(protectedDeletes([{ message: del }, { message: rep }, { message: 'other' }])).toEqual([PVC, `${ROOT}x`]);
    expect(resourceOf(PVC)).toMatchObject({ kind: 'PersistentVolumeClaim', name: 'lambangjaya-site-opensid-files', type: 'kubernetes:core/v1:PersistentVolumeClaim' });
  });
});
