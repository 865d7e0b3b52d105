// The summary a run of up / plan / destroy ends with, on stdout: a line for every stack that changed,
// failed, was skipped or carries a note, then the totals. Unchanged stacks are only counted, so a
// no-change run of 188 stacks prints two lines, not 188.
import { isAbsolute, relative } from 'node:path';
import type { SyncReport } from '../services/sync.ts';
import type { LocalExtras } from '../cluster/target.ts';
import type { RunSummary, StackResult } from '../engine/run-loop.ts';
import { describeStep, sortedSteps, type Step } from '../engine/diagnostics.ts';
import type { Changes } from '../engine/progress.ts';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { driftLines } from '../engine/drift-model.ts';
import { budgetLine } from '../engine/certificate-budget.ts';
import { describeChanges, formatSeconds } from './stack-lines.ts';

const changed = (c: Changes | null) => c !== null && c.create + c.update + c.delete > 0;

const STEP_WORD: Record<Step['op'], string> = { delete: 'delete ', replace: 'replace', update: 'update ', create: 'create ' };

/** For a plan: each resource the stack would change, deletes first. */
function stepLines(r: StackResult, indent: string): string[] {
  return sortedSteps(r.steps ?? []).map((st) => `${indent}${STEP_WORD[st.op]}  ${describeStep(st)}`);
}

function describe(r: StackResult): string {
  const note = r.note ? ` (${r.note})` : '';
  switch (r.result) {
    case 'succeeded':
      return `${describeChanges(r.changes ?? { create: 0, update: 0, delete: 0, same: 0 }, r.seconds, r.operation)}${note}`;
    case 'failed':
      // A note says what did take effect (a rotation whose new credentials are live): the rest failed.
      return `${r.note ? `${r.note}; the rest of the ${r.operation === 'preview' ? 'preview' : r.operation === 'destroy' ? 'destroy' : 'update'} ` : ''}FAILED after ${formatSeconds(r.seconds)}: ${r.error ?? 'failed'}`;
    case 'cancelled':
      return `cancelled after ${formatSeconds(r.seconds)}${r.changes && changed(r.changes) ? `, ${describeChanges(r.changes, null, r.operation)} before it stopped` : ''}`;
    case 'skipped':
      return `skipped: ${r.error ?? ''}`.trimEnd();
  }
}

/** A path as the user would type it from here: relative when under the working directory. */
function shownPath(path: string, cwd: string): string {
  const r = relative(cwd, path);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : path;
}

/** Under a failed stack's line: the rest of its cause, every line, and the file with its whole log. */
function failureLines(r: StackResult, indent: string, cwd: string): string[] {
  if (r.result !== 'failed') return [];
  const cause = (r.cause ?? '').split('\n').slice(1).filter((l) => l.trim());
  return [...cause.map((l) => `${indent}${l}`), ...(r.log ? [`${indent}full log: ${shownPath(r.log, cwd)}`] : [])];
}

export function summaryLines(s: RunSummary & Partial<LocalExtras>, cwd: string = process.cwd()): string[] {
  if (s.verb === 'drift') return driftSummaryLines(s, cwd);
  const shown = s.stacks.filter((r) => r.result !== 'succeeded' || changed(r.changes) || r.note);
  const width = Math.max(0, ...shown.map((r) => r.stack.length));
  const indent = ' '.repeat(width + 2);
  const lines = shown.flatMap((r) => [
    `${r.stack.padEnd(width)}  ${describe(r)}`,
    ...failureLines(r, indent, cwd),
    ...(s.verb === 'plan' ? stepLines(r, indent) : []),
    ...(r.warnings ?? []).map((w) => `${indent}warning: ${w}`),
  ]);
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
  if (s.certificates) lines.push(budgetLine(s.certificates), ...s.certificates.orders.map((x) => `  would order: ${x.source} (${x.reason})`));
  if (s.services) lines.push(...servicesLines(s.services));
  for (const f of s.serversFailed ?? []) lines.push(`services: FAILED: ${f.server} did not start: ${f.reason}`);
  return lines;
}

/**
 * desa drift: per stack that differs, what is gone, changed or added (one line each), then the totals and
 * what repairs it.
 */
export function driftSummaryLines(s: RunSummary, cwd: string = process.cwd()): string[] {
  const drifted = s.stacks.filter((r) => r.result === 'succeeded' && (r.drift?.length ?? 0) > 0);
  const other = s.stacks.filter((r) => r.result !== 'succeeded');
  const width = Math.max(0, ...[...drifted, ...other].map((r) => r.stack.length));
  const lines: string[] = [];
  for (const r of s.stacks) {
    if (r.result !== 'succeeded') lines.push(`${r.stack.padEnd(width)}  ${describe(r)}`, ...failureLines(r, ' '.repeat(width + 2), cwd));
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

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** The desa that uses the largest share of its file-space quota, when any uses some: ", fullest: <slug> 1.1 MiB of 2.0 MiB". */
function fullest(usage: readonly { slug: string; bytes: number; quotaBytes: number }[]): string {
  const top = [...usage].filter((u) => u.bytes > 0).sort((a, b) => b.bytes / b.quotaBytes - a.bytes / a.quotaBytes)[0];
  return top ? `, fullest: ${top.slug} ${mb(top.bytes)} of ${mb(top.quotaBytes)}` : '';
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
    // The file space (SFTPGo), behind nginx at files.<domain> (WebDAV at /dav/); the fullest desa against its quota.
    ...(r.files ? [`${r.files.active} file space login(s)${r.files.revoked ? `, ${r.files.revoked} revoked` : ''}${fullest(r.files.usage)} (HTTPS ${at(r.endpoints.https)}: files.<domain>, WebDAV files.<domain>/dav/)`] : []),
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
