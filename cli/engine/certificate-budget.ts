// The certificate budget `desa plan` checks, as plain functions over data. Let's Encrypt allows 50 new
// certificates per registered domain per week, and the registered domain is the label just under the
// public suffix: bekasikab.go.id sits under go.id, so every service of the Kabupaten (not only desa)
// shares one allowance. desa orders one certificate (the wildcard `*.<domain>` plus the apex) for all
// desa, never one per desa; a plan that would take more than the configured share of the allowance
// (desa.yaml `kabupaten.certificates.weeklyShare`, default 10) is refused unless the run allows more.
import type { Step } from './diagnostics.ts';

export const WEEKLY_ALLOWANCE = 50;
export const DEFAULT_WEEKLY_SHARE = 10;
const WEEK_MS = 7 * 24 * 3600 * 1000;
/** The Kubernetes type a new certificate order comes from in deploy mode (cert-manager). */
export const CERTIFICATE_TYPE = 'kubernetes:cert-manager.io/v1:Certificate';

/**
 * Second-level public suffixes under .id, from the Public Suffix List (where bekasikab.go.id sits under
 * go.id). Other domains: the registered domain is taken as the last two labels, which is right for
 * generic TLDs and conservative (a larger shared allowance) nowhere.
 */
const ID_SUFFIXES = new Set(['ac.id', 'biz.id', 'co.id', 'desa.id', 'go.id', 'mil.id', 'my.id', 'net.id', 'or.id', 'ponpes.id', 'sch.id', 'web.id']);

/** The registered domain whose allowance a name counts against: desa.bekasikab.go.id → bekasikab.go.id. */
export function registeredDomain(name: string): string {
  const labels = name.toLowerCase().replace(/\.$/, '').replace(/^\*\./, '').split('.');
  const suffix = labels.slice(-2).join('.');
  return labels.slice(ID_SUFFIXES.has(suffix) ? -3 : -2).join('.');
}

/** One certificate this run would order. */
export interface CertificateOrder {
  /** Where it comes from: a stack and resource, or the local CA. */
  source: string;
  reason: string;
}

/** One certificate already issued, known from state. */
export interface IssuedCertificate {
  source: string;
  notBefore: Date;
}

export interface CertificateBudget {
  registeredDomain: string;
  allowance: number;
  /** The share of the allowance a run may reach (desa.yaml), or the --allow-certificates override. */
  limit: number;
  limitFrom: 'desa.yaml' | '--allow-certificates';
  wouldOrder: number;
  issuedThisWeek: number;
  orders: CertificateOrder[];
  issued: IssuedCertificate[];
  withinLimit: boolean;
}

/** The Certificates a preview would create, replace or update (an update re-issues it) in deploy mode. */
export function ordersFromSteps(stacks: readonly { stack: string; steps?: readonly Step[] | undefined }[]): CertificateOrder[] {
  const orders: CertificateOrder[] = [];
  for (const s of stacks) {
    for (const step of s.steps ?? []) {
      if (step.type !== CERTIFICATE_TYPE || step.op === 'delete') continue;
      orders.push({ source: `${s.stack}: Certificate ${step.object?.namespace ? `${step.object.namespace}/` : ''}${step.object?.name ?? step.name}`, reason: `${step.op} in the preview` });
    }
  }
  return orders;
}

/** Certificates cert-manager issued that the platform's state knows (a Certificate's status.notBefore). */
export function issuedFromState(resources: readonly { type?: string; urn?: string; outputs?: Record<string, unknown> }[]): IssuedCertificate[] {
  const out: IssuedCertificate[] = [];
  for (const r of resources) {
    if (r.type !== CERTIFICATE_TYPE) continue;
    const status = r.outputs?.status as { notBefore?: string } | undefined;
    if (status?.notBefore) out.push({ source: `state: ${r.urn?.split('::').at(-1) ?? 'Certificate'}`, notBefore: new Date(status.notBefore) });
  }
  return out;
}

export function certificateBudget(o: {
  domain: string;
  orders: readonly CertificateOrder[];
  issued: readonly IssuedCertificate[];
  now: Date;
  share: number;
  /** --allow-certificates N: this run may reach N (at most the whole allowance). */
  allow?: number | undefined;
}): CertificateBudget {
  const recent = o.issued.filter((c) => o.now.getTime() - c.notBefore.getTime() < WEEK_MS && c.notBefore.getTime() <= o.now.getTime());
  const limit = o.allow ?? o.share;
  const total = recent.length + o.orders.length;
  return {
    registeredDomain: registeredDomain(o.domain),
    allowance: WEEKLY_ALLOWANCE,
    limit,
    limitFrom: o.allow === undefined ? 'desa.yaml' : '--allow-certificates',
    wouldOrder: o.orders.length,
    issuedThisWeek: recent.length,
    orders: [...o.orders],
    issued: recent,
    // Nothing new ordered never exceeds anything, whatever was issued before.
    withinLimit: o.orders.length === 0 || total <= limit,
  };
}

/** The line `desa plan` prints. */
export function budgetLine(b: CertificateBudget): string {
  return (
    `Certificates: this run would order ${b.wouldOrder} new certificate${b.wouldOrder === 1 ? '' : 's'}` +
    ` (${b.issuedThisWeek} issued in the last 7 days); ${b.registeredDomain} shares ${b.allowance} a week with every other service under it,` +
    ` and desa may use ${b.limit} (${b.limitFrom}).`
  );
}

/** Why the plan is refused, and what to do; null when it is within the limit. */
export function budgetRefusal(b: CertificateBudget): { message: string; nextStep: string } | null {
  if (b.withinLimit) return null;
  const total = b.wouldOrder + b.issuedThisWeek;
  return {
    message:
      `This run would order ${b.wouldOrder} new certificate${b.wouldOrder === 1 ? '' : 's'} for ${b.registeredDomain}, ${total} in 7 days with the ${b.issuedThisWeek} already issued: ` +
      `more than the ${b.limit} of the weekly ${b.allowance} that desa may use (${b.orders.map((x) => x.source).join('; ')}).`,
    nextStep:
      `Every service under ${b.registeredDomain} shares Let's Encrypt's ${b.allowance} new certificates a week. Find why a certificate would be ordered (one wildcard serves every desa), ` +
      `or run with --allow-certificates ${Math.min(total, b.allowance)} if that is intended; the share is kabupaten.certificates.weeklyShare in desa.yaml.`,
  };
}
