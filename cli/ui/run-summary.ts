// The summary a run of up / plan / destroy ends with, on stdout: a line for every stack that changed,
// failed, was skipped or carries a note, then the totals. Unchanged stacks are only counted, so a
// no-change run of 188 stacks prints two lines, not 188.
import type { SyncReport } from '../services/sync.ts';
import type { LocalExtras } from '../cluster/target.ts';
import type { RunSummary, StackResult } from '../engine/run-loop.ts';
import type { Changes } from '../engine/progress.ts';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { driftLines } from '../engine/drift-model.ts';
import { describeChanges, formatSeconds } from './stack-lines.ts';

const changed = (c: Changes | null) => c !== null && c.create + c.update + c.delete > 0;

function describe(r: StackResult): string {
  const note = r.note ? ` (${r.note})` : '';
  switch (r.result) {
    case 'succeeded':
      return `${describeChanges(r.changes ?? { create: 0, update: 0, delete: 0, same: 0 }, r.seconds, r.operation)}${note}`;
    case 'failed':
      return `FAILED after ${formatSeconds(r.seconds)}: ${r.error ?? 'failed'}`;
    case 'cancelled':
      return `cancelled after ${formatSeconds(r.seconds)}${r.changes && changed(r.changes) ? `, ${describeChanges(r.changes, null, r.operation)} before it stopped` : ''}`;
    case 'skipped':
      return `skipped: ${r.error ?? ''}`.trimEnd();
  }
}

export function summaryLines(s: RunSummary & Partial<LocalExtras>): string[] {
  if (s.verb === 'drift') return driftSummaryLines(s);
  const shown = s.stacks.filter((r) => r.result !== 'succeeded' || changed(r.changes) || r.note);
  const width = Math.max(0, ...shown.map((r) => r.stack.length));
  const lines = shown.map((r) => `${r.stack.padEnd(width)}  ${describe(r)}`);
  const count = (result: StackResult['result']) => s.stacks.filter((r) => r.result === result).length;
  const ok = s.stacks.filter((r) => r.result === 'succeeded');
  const totals: Changes = { create: 0, update: 0, delete: 0, same: 0 };
  for (const r of s.stacks) for (const k of ['create', 'update', 'delete', 'same'] as const) totals[k] += r.changes?.[k] ?? 0;
  const parts = [
    `${ok.filter((r) => changed(r.changes)).length} ${s.verb === 'plan' ? 'would change' : 'changed'}`,
    `${ok.filter((r) => !changed(r.changes)).length} unchanged`,
    ...(count('failed') ? [`${count('failed')} failed`] : []),
    ...(count('cancelled') ? [`${count('cancelled')} cancelled`] : []),
    ...(count('skipped') ? [`${count('skipped')} skipped`] : []),
  ];
  const op = s.verb === 'plan' ? 'preview' : s.verb;
  lines.push(`${s.stacks.length} stack(s): ${parts.join(', ')}; resources: ${describeChanges(totals, null, op)}.`);
  if (s.services) lines.push(...servicesLines(s.services));
  for (const f of s.serversFailed ?? []) lines.push(`services: FAILED: ${f.server} did not start: ${f.reason}`);
  return lines;
}

/**
 * desa drift: per stack that differs, what is gone, changed or added (one line each), then the totals and
 * what repairs it.
 */
export function driftSummaryLines(s: RunSummary): string[] {
  const drifted = s.stacks.filter((r) => r.result === 'succeeded' && (r.drift?.length ?? 0) > 0);
  const other = s.stacks.filter((r) => r.result !== 'succeeded');
  const width = Math.max(0, ...[...drifted, ...other].map((r) => r.stack.length));
  const lines: string[] = [];
  for (const r of s.stacks) {
    if (r.result !== 'succeeded') lines.push(`${r.stack.padEnd(width)}  ${describe(r)}`);
    else if (r.drift?.length) driftLines(r.drift).forEach((l, i) => lines.push(`${(i === 0 ? r.stack : '').padEnd(width)}  ${l}`));
  }
  const checked = s.stacks.filter((r) => r.result === 'succeeded').length;
  const failed = other.filter((r) => r.result === 'failed').length;
  lines.push(
    `${s.stacks.length} stack(s): ${drifted.length} differ from their state, ${checked - drifted.length} match` +
      `${failed ? `, ${failed} could not be compared` : ''}${other.length - failed ? `, ${other.length - failed} not compared` : ''}.`,
  );
  const repairable = drifted.filter((r) => r.drift!.some((d) => d.kind !== 'added')).map((r) => r.stack);
  if (repairable.length > 0) {
    const only = repairable.filter((x) => x !== PLATFORM_STACK);
    lines.push(`Repair: desa up --refresh${repairable.includes(PLATFORM_STACK) || only.length === 0 ? '' : ` --only ${only.join(' ')}`}`);
  }
  if (drifted.some((r) => r.drift!.some((d) => d.kind === 'added'))) {
    lines.push('Objects added by hand are not desa\'s: delete them with kubectl, or describe them in desa.yaml.');
  }
  return lines;
}

/** OpenSID on this machine: which desa are ready (HTTP like the other sites), which failed and why, what was kept or removed. */
export function opensidLines(o: NonNullable<SyncReport['opensid']>): string[] {
  const ready = o.sites.filter((x) => x.state === 'ready');
  const failed = o.sites.filter((x) => x.state === 'failed');
  const lines: string[] = [];
  if (ready.length > 0) lines.push(`OpenSID${o.release ? ` ${o.release.version}` : ''}: ${ready.map((x) => x.slug).join(', ')} ready.`);
  for (const x of failed) lines.push(`OpenSID: ${x.slug} FAILED: ${x.error?.split('\n')[0] ?? 'unknown'}; its name is not published.`);
  if (o.kept.length > 0) lines.push(`OpenSID: ${o.kept.map((k) => k.slug).join(', ')} offboarded: site gone, database dump and files kept (${o.kept.map((k) => k.dump).filter(Boolean).join(', ')}).`);
  if (o.deleted.length > 0) lines.push(`OpenSID: ${o.deleted.join(', ')} removed with its data.`);
  return lines;
}

/** What the local servers now serve, where, and what was skipped. */
export function servicesLines(r: LocalExtras['services']): string[] {
  if ('error' in r) return [`services: FAILED: ${r.error}`];
  const at = (port: number) => `127.0.0.1:${port}`;
  const skipped = new Set(r.skipped.map((x) => x.server));
  const b = r.buckets;
  const parts = [
    ...(skipped.has('dovecot')
      ? []
      : [
          `${r.mailboxes} mailbox(es) (IMAPS ${at(r.endpoints.imaps)}${skipped.has('postfix') ? '' : `, SMTP submission with STARTTLS ${at(r.endpoints.submission)}`}` +
            `${r.dkimSelector ? `, signed with DKIM selector ${r.dkimSelector}` : ''})`,
        ]),
    ...(skipped.has('versitygw') ? [] : [`${b.active} bucket(s)${b.revoked ? ` + ${b.revoked} kept with access revoked` : ''} (S3 http://${at(r.endpoints.s3)})`]),
    ...(skipped.has('pdns') ? [] : [`${r.records} DNS record set(s) (${at(r.endpoints.dns)})`]),
    ...(skipped.has('nginx') ? [] : [`${r.sites} site(s) (HTTPS ${at(r.endpoints.https)})`]),
  ];
  const lines = parts.length > 0 ? [`services on this machine: ${parts.join(', ')}.`] : [];
  if (r.opensid) lines.push(...opensidLines(r.opensid));
  if (r.skipped.length > 0) {
    lines.push(`services not applied: ${r.skipped.map((x) => `${x.server} (${x.reason})`).join(', ')}; \`desa cluster status\` shows the servers.`);
  }
  return lines;
}
