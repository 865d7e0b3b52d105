// `desa status`: what the stacks hold, read from the state (state.ts), beside the inventory. Pure pieces
// (the document, its lines) are exported for unit tests; secrets are read through the engine only when
// asked for.
import { loadInventory } from '../../core/inventory/load.ts';
import type { Inventory } from '../../core/inventory/model.ts';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { formatValue } from './outputs.ts';
import { selectStacks } from './selection.ts';
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
  siteTemplate: string | null;
  /** How many mailboxes the stack created; null when not provisioned. */
  mailboxes: number | null;
}

/**
 * The document `desa status --json` prints:
 * { ok, file, backend, platform: StackStatus | null, counts: { units, provisioned, updating, stacks,
 *   notInInventory }, units: UnitStatus[], notInInventory: StackStatus[] }.
 */
export interface StatusDocument {
  ok: true;
  file: string;
  /** The backend's URL, file://… for the file backend. */
  backend: string;
  platform: StackStatus | null;
  counts: { units: number; provisioned: number; updating: number; clusterGone: number; stacks: number; notInInventory: number };
  units: UnitStatus[];
  /** Stacks in the backend whose desa is no longer in desa.yaml (none listed with --only). */
  notInInventory: StackStatus[];
}

function stackStatus(name: string, s: StackState | undefined): StackStatus {
  return {
    stack: name,
    provisioned: s?.provisioned ?? false,
    dataKept: s?.dataKept ?? false,
    updateInProgress: s?.updateInProgress ?? false,
    clusterGone: s?.clusterGone === true,
    cluster: s?.cluster?.server ?? null,
    lastUpdate: s?.lastUpdate ?? null,
    resourceCount: s?.resourceCount ?? 0,
    outputs: s ? s.outputs : null,
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);

export function buildStatus(inventory: Inventory, stacks: readonly string[], states: States, only: boolean): StatusDocument {
  const byName = new Map(states.stacks.map((s) => [s.name, s]));
  const wanted = new Set(stacks);
  const units: UnitStatus[] = inventory.units
    .filter((u) => wanted.has(u.stack))
    .map((u) => {
      const s = stackStatus(u.stack, byName.get(u.stack));
      const out = s.provisioned ? (s.outputs ?? {}) : {};
      const mailboxes = Array.isArray(out.mailboxes) ? out.mailboxes.length : null;
      return { slug: u.slug, code: u.code, name: u.name, kecamatan: u.kecamatan, ...s, url: str(out.url), siteTemplate: str(out.siteTemplate), mailboxes };
    });
  const known = new Set([PLATFORM_STACK, ...inventory.units.map((u) => u.stack)]);
  const orphans = only ? [] : states.stacks.filter((s) => !known.has(s.name)).map((s) => stackStatus(s.name, s));
  const platform = byName.get(PLATFORM_STACK);
  return {
    ok: true,
    file: inventory.file,
    backend: states.backend.url,
    platform: platform ? stackStatus(PLATFORM_STACK, platform) : null,
    counts: {
      units: units.length,
      provisioned: units.filter((u) => u.provisioned).length,
      updating: units.filter((u) => u.updateInProgress).length,
      clusterGone: units.filter((u) => u.clusterGone).length,
      stacks: states.stacks.length,
      notInInventory: orphans.length,
    },
    units,
    notInInventory: orphans,
  };
}

/** YYYY-MM-DD HH:MM in local time; "-" when unknown. */
export function shortTime(iso: string | null): string {
  if (!iso) return '-';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

const stateWord = (s: StackStatus) =>
  s.updateInProgress ? 'updating' : s.clusterGone ? 'cluster reset' : s.provisioned ? 'provisioned' : s.dataKept ? 'data kept' : 'not provisioned';

export function headerLine(doc: StatusDocument): string {
  const p = doc.platform;
  const platform = !p
    ? 'platform not provisioned'
    : p.clusterGone
      ? 'platform not in the cluster (reset since)'
      : `platform ${stateWord(p)}${p.lastUpdate ? ` ${shortTime(p.lastUpdate)}` : ''}`;
  const parts = [platform, `${doc.counts.provisioned} of ${doc.counts.units} desa provisioned`];
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
    ...doc.units.map((u) => [u.slug, u.kecamatan, stateWord(u), shortTime(u.lastUpdate), dash(u.url), dash(u.siteTemplate), dash(u.mailboxes), '']),
    ...doc.notInInventory.map((s) => [
      s.stack, '-', stateWord(s), shortTime(s.lastUpdate), '-', '-', '-',
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
  return lines;
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
  if (!o.showSecrets) return { doc: buildStatus(inventory, stacks, states, o.only.length > 0), secretKeys: new Map() };
  // Only the stacks shown: every one, or the platform and those named by --only.
  const shown = new Set([PLATFORM_STACK, ...stacks]);
  const revealed = await revealSecrets(o.file, states.stacks.filter((s) => o.only.length === 0 || shown.has(s.name)), o.env);
  const byName = new Map(revealed.map((s) => [s.name, s]));
  const stacksRevealed = states.stacks.map((s) => byName.get(s.name) ?? s);
  return { doc: buildStatus(inventory, stacks, { ...states, stacks: stacksRevealed }, o.only.length > 0), secretKeys: secretKeysOf(states.stacks) };
}
