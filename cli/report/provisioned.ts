// What the desa stacks say is provisioned, as the report's services (source "stacks"). From the outputs
// of stacks/desa/index.ts: mailboxes → email, bucket → storage, url and host → subdomain, siteTemplate →
// site. Quotas are not outputs: they are the inventory's, which the stack applied.
import type { Unit } from '../../core/inventory/model.ts';
import { SITE_TEMPLATES, type SiteTemplate } from '../../core/inventory/schema.ts';
import type { StackState } from '../engine/state.ts';
import type { CheckedUnit } from './model.ts';
import type { ProvisionedServices } from './schema.ts';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const isTemplate = (v: unknown): v is SiteTemplate => (SITE_TEMPLATES as readonly unknown[]).includes(v);

/** The services one provisioned desa stack outputs. */
export function servicesFromOutputs(unit: Unit, outputs: Record<string, unknown>): ProvisionedServices {
  const mailboxes = Array.isArray(outputs.mailboxes) ? outputs.mailboxes.length : 0;
  const url = str(outputs.url);
  const template = outputs.siteTemplate;
  const site = unit.services.site;
  return {
    email: { enabled: mailboxes > 0, accounts: mailboxes, quota: unit.services.email.quota },
    storage: { enabled: str(outputs.bucket) !== null, quota: unit.services.storage.quota },
    subdomain: { enabled: url !== null, host: str(outputs.host) ?? unit.services.subdomain.host },
    site: isTemplate(template)
      ? // Where the site is: the desa's own app for external (the subdomain only redirects), else the subdomain.
        { enabled: true, template, url: template === 'external' ? site.url : url }
      : { enabled: false, template: site.template, url: null },
  };
}

/** By slug, the services of every unit whose stack is provisioned; units without one are left out. */
export function provisionedServices(states: readonly StackState[], units: readonly Unit[]): Map<string, ProvisionedServices> {
  const byStack = new Map(states.filter((s) => s.provisioned).map((s) => [s.name, s]));
  const out = new Map<string, ProvisionedServices>();
  for (const u of units) {
    const s = byStack.get(u.stack);
    if (s) out.set(u.slug, servicesFromOutputs(u, s.outputs));
  }
  return out;
}

/**
 * Reads the stack state of the inventory's backend (state.ts: the checkpoint files, no engine, for a
 * file backend) and maps it; undefined when no desa stack is provisioned. When the state cannot be read
 * (another backend, no engine), warns and returns undefined: the report then shows desa.yaml's plan.
 */
export async function readProvisioned(file: string, units: readonly Unit[], env: NodeJS.ProcessEnv): Promise<Map<string, ProvisionedServices> | undefined> {
  const [{ readStates }, { AbortError }, { log }] = await Promise.all([import('../engine/state.ts'), import('../../core/errors.ts'), import('../ui/output.ts')]);
  try {
    const map = provisionedServices((await readStates(file, env)).stacks, units);
    return map.size > 0 ? map : undefined;
  } catch (e) {
    if (!(e instanceof AbortError)) throw e;
    log.warn(`services from desa.yaml: the stack state could not be read (${e.message}). --no-state skips it.`);
    return undefined;
  }
}

/** What the last `desa check` found, by slug (.desa/check.json beside desa.yaml); undefined when never checked. */
export async function readReadiness(file: string, env: NodeJS.ProcessEnv): Promise<Map<string, CheckedUnit> | undefined> {
  const [{ readLastCheck }, { stateDirs }] = await Promise.all([import('../check/last-check.ts'), import('../paths.ts')]);
  const last = readLastCheck(stateDirs(file, env).lastCheck);
  return last ? new Map(Object.entries(last.units)) : undefined;
}
