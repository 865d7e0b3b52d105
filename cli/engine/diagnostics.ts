// What the engine's events say, as data for people: the cause of a failure (the error diagnostics of the
// failing resources, every line, without the wrapper lines the engine and the provider put around them),
// the resources an operation creates, updates, replaces and deletes, and the protected resources a
// change would have to delete, and what a person must know about some of those steps (a mailbox that
// goes keeps its mail on the server). Pure: events in, plain data out.
import { MAILBOX } from '../../core/contract.ts';
import { mailAddress } from '../../core/inventory/model.ts';

/** A resource as a person names it: its kind (`PersistentVolumeClaim`) and its name. */
export interface ResourceRef {
  urn: string;
  /** The Pulumi type, `kubernetes:core/v1:PersistentVolumeClaim`. */
  type: string;
  /** The last part of the type: `PersistentVolumeClaim`, `Stack`. */
  kind: string;
  /** The Pulumi name, the last part of the URN: `lambangjaya-site-opensid-files`. */
  name: string;
}

/** urn:pulumi:<stack>::<project>::<parent types $ type>::<name>. */
export function resourceOf(urn: string): ResourceRef {
  const parts = urn.split('::');
  const type = parts.length >= 4 ? (parts[2]!.split('$').at(-1) ?? '') : '';
  const name = parts.length >= 4 ? parts.slice(3).join('::') : urn;
  return { urn, type, kind: type.split(':').at(-1) ?? type, name };
}

export interface Diagnostic {
  urn?: string | undefined;
  message: string;
}

/** Lines that only wrap the cause: "1 error occurred:", "update failed", an empty bullet. */
const WRAPPER = /^(?:\d+ errors? occurred:?|(?:update|preview|destroy|refresh) failed|error: (?:update|preview|destroy|refresh) failed)$/i;

/** One diagnostic's lines, the wrapper lines dropped and list bullets ("\t* ") undone. */
function meaningfulLines(message: string): string[] {
  return message
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .map((l) => l.replace(/^\s*\*\s+/, ''))
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !WRAPPER.test(l));
}

/**
 * The cause of a failure from the engine's error diagnostics: for each one that says something, the
 * resource it is about (kind and name; none for the stack itself) and every line of its message.
 * Repeated messages count once. The first line is the one-line summary.
 */
export function causeOf(diagnostics: readonly Diagnostic[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const d of diagnostics) {
    const lines = meaningfulLines(d.message);
    if (lines.length === 0) continue;
    const key = lines.join('\n');
    if (seen.has(key)) continue;
    seen.add(key);
    const r = d.urn ? resourceOf(d.urn) : null;
    const about = r && r.type && !r.type.startsWith('pulumi:pulumi:') ? `${r.kind} ${r.name}: ` : '';
    out.push(`${about}${lines[0]}`, ...lines.slice(1).map((l) => `  ${l}`));
  }
  return out;
}

/** What a step does to a resource, as the summary and `plan` list it. Replacements are their own. */
export type StepOp = 'create' | 'update' | 'replace' | 'delete';

export interface Step extends ResourceRef {
  op: StepOp;
  /** The Kubernetes object's name and namespace, when known (unknown names of a preview are left out). */
  object?: { name: string; namespace?: string };
}

/** The parts of an engine step event used here (automation's StepEventMetadata). */
export interface StepMetadata {
  op: string;
  urn: string;
  type: string;
  old?: { custom?: boolean; inputs?: Record<string, any>; outputs?: Record<string, any> } | undefined;
  new?: { custom?: boolean; inputs?: Record<string, any>; outputs?: Record<string, any> } | undefined;
}

const OPS: Record<string, StepOp> = { create: 'create', update: 'update', replace: 'replace', delete: 'delete' };
/** Pulumi's placeholder for a value a preview does not know yet. */
const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** A step that changes a resource in the cluster, or null (same, reads, components, providers, the stack). */
export function stepOf(m: StepMetadata): Step | null {
  const op = OPS[m.op];
  if (!op) return null;
  const state = m.new ?? m.old;
  if (state?.custom === false || m.type.startsWith('pulumi:')) return null;
  const r = resourceOf(m.urn);
  const meta = (s: StepMetadata['new']) => (s?.outputs?.metadata ?? s?.inputs?.metadata) as { name?: unknown; namespace?: unknown } | undefined;
  const md = op === 'delete' ? meta(m.old) : (meta(m.new) ?? meta(m.old));
  const known = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v !== UNKNOWN;
  const object = known(md?.name) ? { name: md.name, ...(known(md.namespace) ? { namespace: md.namespace } : {}) } : undefined;
  return { ...r, type: m.type, op, ...(object ? { object } : {}) };
}

/** "Secret mailbox-sumberjaya-operator (desa-platform)", or the Pulumi name when the object's is unknown. */
export function describeStep(s: Step): string {
  const name = s.object?.name ?? s.name;
  return `${s.kind} ${name}${s.object?.namespace ? ` (${s.object.namespace})` : ''}`;
}

/**
 * The protected resources a change would have to delete, from its error diagnostics: the engine refuses
 * ("resource "urn:…" cannot be deleted because it is protected", or "unable to replace resource "urn:…"
 * as it is currently marked for protection").
 */
export function protectedDeletes(diagnostics: readonly Diagnostic[]): string[] {
  const urns = new Set<string>();
  for (const d of diagnostics) {
    for (const m of d.message.matchAll(/(?:resource|unable to (?:delete|replace) resource) "(urn:pulumi:[^"]+)"\s+(?:cannot be deleted|as it is currently marked for protection)/g)) {
      urns.add(m[1]!);
    }
  }
  return [...urns];
}

/**
 * What a person must know about the steps of one desa's stack beyond their list: a mailbox removed (a
 * role taken out of desa.yaml) stops logging in and receiving mail, but its Maildir stays on the mail
 * server. `planned`: the steps of a preview (would), else of an update (did).
 */
export function stepWarnings(steps: readonly Step[], o: { slug: string; domain: string; planned: boolean }): string[] {
  const prefix = MAILBOX.name(o.slug, '');
  return steps
    .filter((s) => s.op === 'delete' && s.kind === 'Secret' && s.object?.name.startsWith(prefix))
    .map((s) => {
      const role = s.object!.name.slice(prefix.length);
      const address = mailAddress(o.slug, role, o.domain);
      return (
        `${o.planned ? '`desa up` removes' : 'removed'} the mailbox ${address}: it ${o.planned ? 'will no longer log' : 'no longer logs'} in or receive${o.planned ? '' : 's'} mail. ` +
        `Its Maildir, with the mail in it, is kept on the mail server (adding the role back gives it back, with a new password); ` +
        `only \`desa destroy --only ${o.slug} --delete-data\` deletes it.`
      );
    });
}

const ORDER: Record<StepOp, number> = { delete: 0, replace: 1, update: 2, create: 3 };

/** Steps in the order a reviewer reads them: deletes first, then replacements, updates, creations; by name within. */
export function sortedSteps(steps: readonly Step[]): Step[] {
  return [...steps].sort((a, b) => ORDER[a.op] - ORDER[b.op] || describeStep(a).localeCompare(describeStep(b)));
}

