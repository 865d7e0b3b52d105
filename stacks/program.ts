// Which program a stack runs: `platform`, or the desa whose `stack` is the stack's name. Pure selection
// plus the cross-checks that need both the inventory and the settings.
import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { nearestName } from '../core/inventory/lookup.ts';
import { PLATFORM_STACK, type Inventory, type Unit } from '../core/inventory/model.ts';
import { Desa } from './desa/index.ts';
import { Platform } from './platform/index.ts';
import { platformRefs, type StackConfig } from './settings.ts';

export type Selection = { kind: 'platform' } | { kind: 'desa'; unit: Unit };

export function selectProgram(stack: string, inventory: Inventory): Selection {
  if (stack === PLATFORM_STACK) return { kind: 'platform' };
  const unit = inventory.units.find((u) => u.stack === stack);
  if (unit) return { kind: 'desa', unit };
  const near = nearestName(inventory, stack);
  const hint = near ? ` Did you mean \`${near}\`?` : '';
  throw new pulumi.RunError(
    `Stack \`${stack}\` is neither \`${PLATFORM_STACK}\` nor the stack of a desa or kelurahan in ${inventory.file} ` +
      `(${inventory.units.length} units).${hint} A desa's stack is its slug; \`desa validate\` lists them.`,
  );
}

/** Platform hosts under the desa domain that a desa's subdomain would shadow. */
export function hostConflicts(inventory: Inventory, reserved: string[]): string[] {
  return inventory.units
    .filter((u) => reserved.includes(u.services.subdomain.host))
    .map((u) => `${u.name} (${u.code}) has the host ${u.services.subdomain.host}, which the platform uses; pin another \`slug:\` for it.`);
}

/** Runs the selected program and returns the stack outputs. */
export function runStack(stack: string, inventory: Inventory, config: StackConfig, provider: k8s.Provider) {
  const domain = inventory.kabupaten.domain;
  const refs = platformRefs(config.settings, domain);
  const conflicts = hostConflicts(inventory, [refs.mailHost]);
  if (conflicts.length) throw new pulumi.RunError(conflicts.join('\n'));

  const selection = selectProgram(stack, inventory);
  if (selection.kind === 'platform') {
    return new Platform(PLATFORM_STACK, { settings: config.settings, domain, tsigSecret: config.tsigSecret, provider }).outputs;
  }
  const { unit } = selection;
  const desa = new Desa(unit.slug, {
    unit,
    inventory: { kabupaten: inventory.kabupaten, programmes: inventory.programmes },
    platform: refs,
    images: config.settings.images,
    opensid: config.settings.opensid,
    rotate: config.settings.rotate,
    ...(config.settings.siteTransition ? { siteTransition: config.settings.siteTransition } : {}),
    provider,
  });
  return desa.outputs();
}
