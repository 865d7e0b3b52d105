// Labels and annotations: one place so the platform services, the NetworkPolicies and people running
// `kubectl get -l` all agree. Keys are prefixed with the inventory's domain (desa.bekasikab.go.id/...).
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

export const COMMON_LABELS: Labels = {
  'app.kubernetes.io/part-of': 'desa',
  'app.kubernetes.io/managed-by': 'pulumi',
};

/** The keys the platform services select on. */
export function labelKeys(domain: string) {
  return {
    code: `${domain}/code`,
    slug: `${domain}/slug`,
    kind: `${domain}/kind`,
    kecamatan: `${domain}/kecamatan`,
    kecamatanCode: `${domain}/kecamatan-code`,
    programme: (id: string) => `${domain}/programme.${id}`,
    siteTemplate: `${domain}/site-template`,
    /** On Secrets in the platform namespace: which service consumes them (mailbox, bucket). */
    consumer: `${domain}/consumer`,
    role: `${domain}/role`,
  };
}

/** The identity every object of a desa carries: enough to select all of one desa's objects. */
export function identityLabels(unit: Unit, domain: string): Labels {
  const k = labelKeys(domain);
  return { ...COMMON_LABELS, [k.slug]: unit.slug, [k.code]: labelValue(unit.code) };
}

/** The desa's namespace: identity plus kind, kecamatan and programmes, for selecting groups of desa. */
export function namespaceLabels(unit: Unit, domain: string, podSecurity: 'restricted' | 'baseline'): Labels {
  const k = labelKeys(domain);
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
  return {
    [`${domain}/name`]: unit.name,
    [`${domain}/kecamatan-name`]: unit.kecamatan,
    [`${domain}/host`]: unit.services.subdomain.host,
  };
}
