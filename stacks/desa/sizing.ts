// How much of the cluster one desa may use, by what its site runs. Pure data, tested as such.
import type * as k8s from '@pulumi/kubernetes';
import type { Unit } from '../../core/inventory/model.ts';

/** What runs in the namespace: the profile page, OpenSID, or no workload (external app or no site). */
export type Footprint = 'profil' | 'opensid' | 'none';

/** `opensidOutside`: OpenSID is served outside the cluster (`desa:opensid.mode` existing), so nothing runs here. */
export function footprintOf(unit: Unit, o: { opensidOutside?: boolean } = {}): Footprint {
  const site = unit.services.site;
  if (!site.enabled || site.template === 'external') return 'none';
  if (site.template === 'opensid' && o.opensidOutside) return 'none';
  return site.template;
}

export interface Sizing {
  /** ResourceQuota `hard`. */
  quota: Record<string, string>;
  /** LimitRange: defaults for containers that do not say, and the largest claim allowed. */
  limits: k8s.types.input.core.v1.LimitRangeItem[];
  /** Claim sizes the opensid template asks for; they fit in `requests.storage`. */
  volumes: { files: string; uploads: string; database: string } | null;
  /** Pod Security Admission level the namespace enforces. */
  podSecurity: 'restricted' | 'baseline';
}

const NO_EXPOSURE = { 'services.loadbalancers': '0', 'services.nodeports': '0' };

export const SIZING: Record<Footprint, Sizing> = {
  profil: {
    quota: {
      'requests.cpu': '100m',
      'limits.cpu': '500m',
      'requests.memory': '64Mi',
      'limits.memory': '256Mi',
      'requests.ephemeral-storage': '64Mi',
      'limits.ephemeral-storage': '256Mi',
      pods: '4',
      services: '2',
      configmaps: '10',
      secrets: '10',
      persistentvolumeclaims: '0',
      'requests.storage': '0',
      ...NO_EXPOSURE,
    },
    limits: [
      {
        type: 'Container',
        default: { cpu: '100m', memory: '64Mi', 'ephemeral-storage': '64Mi' },
        defaultRequest: { cpu: '20m', memory: '32Mi', 'ephemeral-storage': '16Mi' },
        max: { cpu: '500m', memory: '256Mi' },
      },
    ],
    volumes: null,
    podSecurity: 'restricted',
  },
  opensid: {
    quota: {
      'requests.cpu': '1',
      'limits.cpu': '3',
      'requests.memory': '1Gi',
      'limits.memory': '3Gi',
      'requests.ephemeral-storage': '512Mi',
      'limits.ephemeral-storage': '4Gi',
      pods: '8',
      services: '4',
      configmaps: '10',
      secrets: '10',
      persistentvolumeclaims: '4',
      'requests.storage': '30Gi',
      ...NO_EXPOSURE,
    },
    limits: [
      {
        type: 'Container',
        default: { cpu: '500m', memory: '512Mi', 'ephemeral-storage': '512Mi' },
        defaultRequest: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
        max: { cpu: '2', memory: '2Gi' },
      },
      { type: 'PersistentVolumeClaim', max: { storage: '20Gi' } },
    ],
    volumes: { files: '5Gi', uploads: '10Gi', database: '10Gi' },
    podSecurity: 'baseline',
  },
  none: {
    quota: {
      'requests.cpu': '0',
      'limits.cpu': '0',
      'requests.memory': '0',
      'limits.memory': '0',
      pods: '0',
      // One Service without pods (a redirect's, or OpenSID served outside the cluster), and room for the
      // old site's Service while a template switch replaces it (Pulumi creates before it deletes).
      services: '2',
      configmaps: '5',
      secrets: '5',
      persistentvolumeclaims: '0',
      'requests.storage': '0',
      ...NO_EXPOSURE,
    },
    limits: [
      {
        type: 'Container',
        default: { cpu: '100m', memory: '64Mi' },
        defaultRequest: { cpu: '10m', memory: '16Mi' },
        max: { cpu: '100m', memory: '64Mi' },
      },
    ],
    volumes: null,
    podSecurity: 'restricted',
  },
};

/**
 * The sizing of a unit's namespace. `opensidOutside`: OpenSID is served outside the cluster (footprintOf).
 * `from`: what the namespace ran before this update (its footprint, as `desa up` saw it in the state),
 * during a switch of site template: the quota then admits both (each limit the larger of the two), since
 * the new site starts before the old one goes; `desa up` runs a second update without it, which lowers
 * the quota.
 */
export function sizingFor(unit: Unit, o: { opensidOutside?: boolean; from?: Footprint } = {}): Sizing {
  const own = SIZING[footprintOf(unit, o)];
  if (!o.from || o.from === footprintOf(unit, o)) return own;
  return { ...own, quota: largerQuota(own.quota, SIZING[o.from].quota) };
}

/** A Kubernetes quantity as a number (cpu `100m`, memory `64Mi`, counts `4`); only the suffixes the sizing uses. */
export function quantity(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti)?$/.exec(q);
  if (!m) throw new Error(`unsupported quantity ${q}`);
  const scale: Record<string, number> = { m: 0.001, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  return Number(m[1]) * (m[2] ? scale[m[2]]! : 1);
}

/** Each limit of either quota, the larger where both have it. */
export function largerQuota(a: Record<string, string>, b: Record<string, string>): Record<string, string> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) if (out[k] === undefined || quantity(v) > quantity(out[k]!)) out[k] = v;
  return out;
}

const UNIT: Record<string, number> = { Mi: 1, Gi: 1024, Ti: 1024 * 1024 };

/** A Kubernetes quantity in Mi (binary suffixes only, as the sizing uses). */
export function mebibytes(q: string): number {
  if (q === '0') return 0;
  const m = /^(\d+)(Mi|Gi|Ti)$/.exec(q);
  if (!m) throw new Error(`unsupported quantity ${q}`);
  return Number(m[1]) * UNIT[m[2]!]!;
}
