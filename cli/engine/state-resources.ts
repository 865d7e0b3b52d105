// A stack's state as resources: read through the engine (`pulumi stack export`, any backend), and the
// few edits desa makes to it (protection off for what a change may delete; a targeted refresh).
import type { Stack } from '@pulumi/pulumi/automation/index.js';
import { type Deployment, managedResources } from './checkpoint.ts';

/** A resource of a stack's state, as exported: its URN, type, protection and outputs. */
export interface StateResource {
  urn: string;
  type: string;
  protect?: boolean;
  outputs?: Record<string, unknown>;
}

/** The resources of the stack's state (`pulumi stack export`: any backend). */
export async function stateResources(stack: Stack): Promise<StateResource[]> {
  const state = await stack.exportStack();
  return ((state.deployment as { resources?: StateResource[] }).resources ?? []);
}

/**
 * Marks the protected resources `which` selects unprotected in the stack's state (every one before
 * `destroy --delete-data`; the named or empty ones a change would delete). Returns their URNs.
 */
export async function unprotect(stack: Stack, which: (r: StateResource) => boolean): Promise<string[]> {
  const state = await stack.exportStack();
  const resources = (state.deployment as { resources?: StateResource[] }).resources ?? [];
  const chosen = resources.filter((r) => r.protect && which(r));
  if (chosen.length === 0) return [];
  for (const r of chosen) r.protect = false;
  await stack.importStack(state);
  return chosen.map((r) => r.urn);
}

/** Marks every resource of the stack unprotected (before `destroy --delete-data`). */
export async function unprotectAll(stack: Stack): Promise<number> {
  return (await unprotect(stack, () => true)).length;
}

/** Reads these resources again from the cluster into the state (a targeted refresh). */
export async function refreshResources(stack: Stack, urns: readonly string[], signal?: AbortSignal): Promise<void> {
  await stack.refresh({ target: [...urns], ...(signal ? { signal } : {}) });
}

/** The resources a stack holds besides its root and providers, and how many of those are protected. */
export async function heldResources(stack: Stack): Promise<{ total: number; protected: number }> {
  const state = await stack.exportStack();
  const resources = managedResources((state.deployment as Deployment).resources ?? []);
  return { total: resources.length, protected: resources.filter((r) => r.protect).length };
}
