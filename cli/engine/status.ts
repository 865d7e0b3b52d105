// `desa status`: what the stacks hold, read from the state (state.ts), beside the inventory. Pure pieces
// (the document, its lines) are exported for unit tests; secrets are read through the engine only when
// asked for.
import { loadInventory } from '../../core/inventory/load.ts';
import type { Inventory } from '../../core/inventory/model.ts';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { formatValue, shortTime } from './outputs.ts';
import { selectStacks } from './selection.ts';
import type { LastOperation } from './checkpoint.ts';
import { errorLogs, type ErrorLogs } from './failure-log.ts';
import { hasSecret, readStates, revealSecrets, type StackState, type States } from './state.ts';

/** One stack as `desa status --json` shows it. */
export interface StackStatus {
  stack: string;
  provisioned: boolean;
  /** Destroyed with its data kept (namespace, volumes, bucket claim). */
  dataKept: boolean;
  updateInProgress: boolean;
  /**
   * Applied to this checkout's local cluster, which was reset or re-created since: its objects are not
   * there (provisioned is false); `desa up` creates them again.
   */
  clusterGone: boolean;
  /** The API server its last update was applied to; null when not recorded. */
  cluster: string | null;
  /** ISO 8601; null when the stack does not exist. */
  lastUpdate: string | null;
  /**
   * The last operation the engine recorded and how it ended: { kind, result (succeeded, failed,
   * in-progress), startedAt, endedAt }; null when none is recorded (or the backend is not a file backend).
   */
  lastOperation: LastOperation | null;
  /** When the last operation failed: the file with its whole log, if desa kept one. */
  errorLog: string | null;
  resourceCount: number;
  /** Secret values are "[secret]" unless --show-secrets; null when the stack does not exist. */
  outputs: Record<string, unknown> | null;
}

export interface UnitStatus extends StackStatus {
  slug: string;
  code: string;
  name: string;
  kecamatan: string;
  url: string | null;
  /** The template the stack was last asked for (its outputs). */
  siteTemplate: string | null;
  /**
   * What actually serves (checkpoint.ts siteRunning): the site templates whose workload has a ready pod
   * in the state, or that are served outside the cluster; null when not provisioned.
   */
  siteRunning: string[] | null;
  /** How many mailboxes the stack created; null when not provisioned. */
  mailboxes: number | null;
}

/**
 * The document `desa status --json` prints:
 * { ok, file, backend, platform: StackStatus | null, counts: { units, provisioned, updating, failed,
 *   clusterGone, stacks, notInInventory }, units: UnitStatus[], notInInventory: StackStatus[] }.
 */
export interface StatusDocument {
  ok: true;
  file: string;
  /** The backend's URL, file://… for the file backend. */
  backend: string;
  platform: StackStatus | null;
  counts: { units: number; provisioned: number; updating: number; failed: number; clusterGone: number; stacks: number; notInInventory: number };
  units: UnitStatus[];
  /** Stacks in the backend whose desa is no longer in desa.yaml (none listed with --only). */
  notInInventory: StackStatus[];
}

function stackStatus(name: string, s: StackState | undefined, logs: ErrorLogs): StackStatus {
  const lastOperation = s?.lastOperation ?? null;
  return {
    stack: name,
    provisioned: s?.provisioned ?? false,
    dataKept: s?.dataKept ?? false,
    updateInProgress: s?.updateInProgress ?? false,
    clusterGone: s?.clusterGone === true,
    cluster: s?.cluster?.server ?? null,
    lastUpdate: s?.lastUpdate ?? null,
    lastOperation,
    errorLog: lastOperation?.result === 'failed' ? logs(name) : null,
    resourceCount: s?.resourceCount ?? 0,
    outputs: s ? s.outputs : null,
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** The last operation failed: the state holds what it got to, not what was asked for. */
export const failed = (s: Pick<StackStatus, 'lastOperation'>) => s.lastOperation?.result === 'failed';

export function buildStatus(inventory: Inventory, stacks: readonly string[], states: States, only: boolean, logs: ErrorLogs = () => null): StatusDocument {
  const byName = new Map(states.stacks.map((s) => [s.name, s]));
  const wanted = new Set(stacks);
  const units: UnitStatus[] = inventory.units
    .filter((u) => wanted.has(u.stack))
    .map((u) => {
      const state = byName.get(u.stack);
      const s = stackStatus(u.stack, state, logs);
      const out = s.provisioned ? (s.outputs ?? {}) : {};
      const mailboxes = Array.isArray(out.mailboxes) ? out.mailboxes.length : null;
      const siteRunning = s.provisioned ? (state?.siteRunning ?? []) : null;
      return { slug: u.slug, code: u.code, name: u.name, kecamatan: u.kecamatan, ...s, url: str(out.url), siteTemplate: str(out.siteTemplate), siteRunning, mailboxes };
    });
  const known = new Set([PLATFORM_STACK, ...inventory.units.map((u) => u.stack)]);
  const orphans = only ? [] : states.stacks.filter((s) => !known.has(s.name)).map((s) => stackStatus(s.name, s, logs));
  const platform = byName.get(PLATFORM_STACK);
  return {
    ok: true,
    file: inventory.file,
    backend: states.backend.url,
    platform: platform ? stackStatus(PLATFORM_STACK, platform, logs) : null,
    counts: {
      units: units.length,
      provisioned: units.filter((u) => u.provisioned && !failed(u)).length,
      updating: units.filter((u) => u.updateInProgress).length,
      failed: units.filter((u) => failed(u) && !u.clusterGone).length,
      clusterGone: units.filter((u) => u.clusterGone).length,
      stacks: states.stacks.length,
      notInInventory: orphans.length,
    },
    units,
    notInInventory: orphans,
  };
}

export { shortTime } from './outputs.ts';

const stateWord = (s: StackStatus) =>
  s.updateInProgress
    ? 'updating'
    : s.clusterGone
      ? 'cluster reset'
      : failed(s)
        ? `${s.lastOperation!.kind} FAILED`
        : s.provisioned
          ? 'provisioned'
          : s.dataKept
            ? 'data kept'
            : 'not provisioned';

/** When the stack last changed: the end of its last recorded operation, else its state's time. */
const when = (s: StackStatus) => s.lastOperation?.endedAt ?? s.lastUpdate;

/** The template asked for, and what serves when that differs ("opensid (serving: profil)"). */
function siteText(u: UnitStatus): string {
  if (u.siteTemplate === null) return '-';
  const running = u.siteRunning ?? [];
  if (u.siteTemplate !== 'profil' && u.siteTemplate !== 'opensid') return u.siteTemplate;
  if (running.length === 1 && running[0] === u.siteTemplate) return u.siteTemplate;
  return `${u.siteTemplate} (serving: ${running.length > 0 ? running.join(', ') : 'nothing'})`;
}

export function headerLine(doc: StatusDocument): string {
  const p = doc.platform;
  const platform = !p
    ? 'platform not provisioned'
    : p.clusterGone
      ? 'platform not in the cluster (reset since)'
      : `platform ${stateWord(p)}${when(p) ? ` ${shortTime(when(p))}` : ''}`;
  const parts = [platform, `${doc.counts.provisioned} of ${doc.counts.units} desa provisioned`];
  if (doc.counts.failed) parts.push(`${doc.counts.failed} whose last operation FAILED`);
  if (doc.counts.updating) parts.push(`${doc.counts.updating} updating`);
  if (doc.counts.clusterGone) parts.push(`${doc.counts.clusterGone} were in a local cluster since reset (\`desa up\` provisions them again)`);
  if (doc.counts.notInInventory) parts.push(`${doc.counts.notInInventory} stack(s) not in desa.yaml`);
  return parts.join('; ');
}

/** The header, a table of every unit (then stacks not in desa.yaml), and with secrets shown, them under each row. */
export function statusLines(doc: StatusDocument, secretKeys: ReadonlyMap<string, string[]> = new Map()): string[] {
  const dash = (v: unknown) => (v === null || v === undefined ? '-' : String(v));
  const rows = [
    ['SLUG', 'KECAMATAN', 'STATE', 'LAST UPDATE', 'URL', 'SITE', 'MAILBOXES', ''],
    ...doc.units.map((u) => [u.slug, u.kecamatan, stateWord(u), shortTime(when(u)), dash(u.url), siteText(u), dash(u.mailboxes), '']),
    ...doc.notInInventory.map((s) => [
      s.stack, '-', stateWord(s), shortTime(when(s)), '-', '-', '-',
      s.provisioned ? 'not in desa.yaml: `desa up` destroys it, keeping its data' : `not in desa.yaml: \`desa destroy --only ${s.stack} --delete-data\` deletes its data`,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const stacks = [...doc.units.map((u) => u.stack), ...doc.notInInventory.map((s) => s.stack)];
  const outputs = new Map([...doc.units, ...doc.notInInventory].map((s) => [s.stack, s.outputs ?? {}]));
  const lines = [headerLine(doc)];
  rows.forEach((r, i) => {
    lines.push(r.map((c, j) => c.padEnd(widths[j]!)).join('  ').trimEnd());
    const stack = i > 0 ? stacks[i - 1]! : '';
    for (const k of secretKeys.get(stack) ?? []) lines.push(`    ${k}: ${formatValue(outputs.get(stack)![k])}`);
  });
  lines.push(...failureNotes([...(doc.platform ? [doc.platform] : []), ...doc.units, ...doc.notInInventory]));
  return lines;
}

/** A line per stack whose last operation failed: when, that its outputs may not be what runs, where the log is. */
export function failureNotes(stacks: readonly StackStatus[]): string[] {
  return stacks.filter(failed).map((s) => {
    const op = s.lastOperation!;
    const log = s.errorLog ? `Its log: ${s.errorLog}` : `\`desa up --only ${s.stack}\` shows the cause`;
    return `${s.stack}: the last ${op.kind} FAILED${op.endedAt ? ` at ${shortTime(op.endedAt)}` : ''}; what it shows is what that ${op.kind} got to, not what was asked for. ${log}.`;
  });
}

/** The keys of each stack whose outputs hold a secret. */
export function secretKeysOf(states: readonly StackState[]): Map<string, string[]> {
  return new Map(states.map((s) => [s.name, Object.keys(s.outputs).filter((k) => hasSecret(s.outputs[k]))]));
}

export interface StatusOptions {
  file: string;
  only: string[];
  showSecrets: boolean;
  env: NodeJS.ProcessEnv;
}

export async function readStatus(o: StatusOptions): Promise<{ doc: StatusDocument; secretKeys: Map<string, string[]> }> {
  const { inventory } = loadInventory(o.file);
  const stacks = selectStacks(inventory, o.only);
  const states = await readStates(o.file, o.env);
  const logs = errorLogs(o.file, o.env);
  if (!o.showSecrets) return { doc: buildStatus(inventory, stacks, states, o.only.length > 0, logs), secretKeys: new Map() };
  // Only the stacks shown: every one, or the platform and those named by --only.
  const shown = new Set([PLATFORM_STACK, ...stacks]);
  const revealed = await revealSecrets(o.file, states.stacks.filter((s) => o.only.length === 0 || shown.has(s.name)), o.env);
  const byName = new Map(revealed.map((s) => [s.name, s]));
  const stacksRevealed = states.stacks.map((s) => byName.get(s.name) ?? s);
  return { doc: buildStatus(inventory, stacks, { ...states, stacks: stacksRevealed }, o.only.length > 0, logs), secretKeys: secretKeysOf(states.stacks) };
}
