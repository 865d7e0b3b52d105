// `desa outputs SLUG`: the stack outputs of one desa, or of the platform, read from the state (state.ts);
// secrets through the engine only when asked for.
import { AbortError, EXIT } from '../../core/errors.ts';
import { loadInventory } from '../../core/inventory/load.ts';
import type { Inventory } from '../../core/inventory/model.ts';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { findByName } from '../../core/inventory/lookup.ts';
import type { LastOperation } from './checkpoint.ts';
import { readStates, revealSecrets, type StackState, type States } from './state.ts';
import { errorLogs } from './failure-log.ts';

/** YYYY-MM-DD HH:MM in local time; "-" when unknown. */
export function shortTime(iso: string | null): string {
  if (!iso) return '-';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** An output value on one line: strings as they are, anything else as JSON. */
export const formatValue = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** `key: value` lines, keys sorted. */
export function outputLines(outputs: Record<string, unknown>): string[] {
  return Object.keys(outputs)
    .sort()
    .map((k) => `${k}: ${formatValue(outputs[k])}`);
}

export interface OutputsOptions {
  file: string;
  /** A slug, a desa's stack name, `platform`, or a stack no longer in desa.yaml. */
  name: string;
  showSecrets: boolean;
  env: NodeJS.ProcessEnv;
}

/** What `desa outputs --json` prints. */
export interface OutputsDocument {
  ok: true;
  stack: string;
  lastUpdate: string | null;
  /** The last operation the engine recorded and how it ended (status.ts StackStatus); null when unknown. */
  lastOperation: LastOperation | null;
  /** When it failed: the file with its whole log, if desa kept one. */
  errorLog: string | null;
  outputs: Record<string, unknown>;
}

/** One line on the last operation: its result and when; for a failure, that the outputs may not be what runs. */
export function lastOperationLine(doc: Pick<OutputsDocument, 'stack' | 'lastUpdate' | 'lastOperation' | 'errorLog'>): { failed: boolean; text: string } {
  const op = doc.lastOperation;
  if (!op) return { failed: false, text: `${doc.stack}: state of ${shortTime(doc.lastUpdate)}.` };
  const at = shortTime(op.endedAt ?? op.startedAt ?? doc.lastUpdate);
  if (op.result !== 'failed') return { failed: false, text: `${doc.stack}: last ${op.kind} ${op.result} at ${at}.` };
  return {
    failed: true,
    text:
      `${doc.stack}: the last ${op.kind} FAILED at ${at}; these outputs are what it registered and may not match what runs. ` +
      (doc.errorLog ? `Its log: ${doc.errorLog}.` : `\`desa up --only ${doc.stack}\` shows the cause.`),
  };
}

/** The stack `name` designates; a usage error with a suggestion when none. */
export function resolveStack(inventory: Inventory, stateNames: readonly string[], name: string): string {
  const found = findByName(inventory, name, { others: [PLATFORM_STACK, ...stateNames], stacks: true, nextStep: 'Run `desa status` to list the slugs and stacks.' });
  return found.unit ? found.unit.stack : found.other;
}

function nextStepFor(inventory: Inventory, stack: string): string {
  if (stack === PLATFORM_STACK) return 'Run `desa up`: the platform stack runs first.';
  const unit = inventory.units.find((u) => u.stack === stack);
  return unit ? `Run \`desa up --only ${unit.slug}\`.` : 'It is not in desa.yaml: `desa up` removes its stack.';
}

/** The state of `stack`; exit 1 with the `desa up` that provisions it when it has no stack or holds no resources. */
export function requireProvisioned(inventory: Inventory, states: States, stack: string): StackState {
  const state = states.stacks.find((s) => s.name === stack);
  if (!state?.provisioned) {
    throw new AbortError(`${stack} is not provisioned: ${state ? 'its stack holds no resources' : 'it has no stack'} in ${states.backend.url}.`, {
      exitCode: EXIT.failure,
      nextStep: nextStepFor(inventory, stack),
    });
  }
  return state;
}

export async function readOutputs(o: OutputsOptions): Promise<OutputsDocument> {
  const { inventory } = loadInventory(o.file);
  const states = await readStates(o.file, o.env);
  const stack = resolveStack(inventory, states.stacks.map((s) => s.name), o.name);
  const state = requireProvisioned(inventory, states, stack);
  const [shown] = o.showSecrets ? await revealSecrets(o.file, [state], o.env) : [state];
  const errorLog = state.lastOperation?.result === 'failed' ? errorLogs(o.file, o.env)(stack) : null;
  return { ok: true, stack, lastUpdate: state.lastUpdate, lastOperation: state.lastOperation, errorLog, outputs: shown!.outputs };
}
