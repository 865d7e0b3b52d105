// Labels and annotations of a desa's objects, so the platform services, the NetworkPolicies and people
// running `kubectl get -l` all agree. The keys are the contract's (core/contract.ts), prefixed with the
// inventory's domain (<domain>/slug: desa.bekasikab.go.id/slug for the shipped desa.yaml).
import { COMMON_LABELS, contractKeys } from '../core/contract.ts';
import { slugify } from '../core/inventory/slug.ts';
import type { Unit } from '../core/inventory/model.ts';

type Labels = Record<string, string>;

/** Label values: at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric. */
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A name as a label value, always the same shape: "Tambun Selatan" → "tambun-selatan", "Muara Gembong" → "muara-gembong". */
export function nameLabel(name: string): string {
  return slugify(name).slice(0, 63).replace(/-+$/, '');
}

/** A code or id as a label value: kept as it is when valid (32.16.06.2002), else made valid like a name. */
export function labelValue(text: string): string {
  return text.length <= 63 && LABEL_VALUE.test(text) ? text : nameLabel(text);
}

/** The identity every object of a desa carries: enough to select all of one desa's objects. */
export function identityLabels(unit: Unit, domain: string): Labels {
  const k = contractKeys(domain);
  return { ...COMMON_LABELS, [k.slug]: unit.slug, [k.code]: labelValue(unit.code) };
}

/** The desa's namespace: identity plus kind, kecamatan and programmes, for selecting groups of desa. */
export function namespaceLabels(unit: Unit, domain: string, podSecurity: 'restricted' | 'baseline'): Labels {
  const k = contractKeys(domain);
  const labels: Labels = {
    ...identityLabels(unit, domain),
    [k.kind]: unit.kind,
    [k.kecamatan]: nameLabel(unit.kecamatan),
    [k.kecamatanCode]: labelValue(unit.kecamatanCode),
    [k.siteTemplate]: unit.services.site.enabled ? unit.services.site.template : 'none',
    'pod-security.kubernetes.io/enforce': podSecurity,
    'pod-security.kubernetes.io/warn': 'restricted',
  };
  for (const id of unit.programmes) labels[k.programme(id)] = 'true';
  return labels;
}

/** Human-readable names go to annotations, which take any text. */
export function namespaceAnnotations(unit: Unit, domain: string): Labels {
  const k = contractKeys(domain);
  return { [k.name]: unit.name, [k.kecamatanName]: unit.kecamatan, [k.host]: unit.services.subdomain.host };
}
