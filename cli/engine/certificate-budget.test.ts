// The weekly certificate budget `desa plan` checks: counted from the preview's steps, the local CA's
// decision and the certificates the state knows, against desa.yaml's share of Let's Encrypt's 50.
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../core/errors.ts';
import { budgetLine, budgetRefusal, CERTIFICATE_TYPE, certificateBudget, issuedFromState, ordersFromSteps, registeredDomain } from './certificate-budget.ts';
import { exitCodeOf, failureMessage } from './outcome.ts';
import type { RunSummary } from './run-loop.ts';

const D = 'desa.bekasikab.go.id';
const now = new Date('2026-12-04T12:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 24 * 3600 * 1000);
const step = (op: 'create' | 'update' | 'replace' | 'delete', type = CERTIFICATE_TYPE, name = 'wildcard') => ({ op, urn: `urn:pulumi:platform::desa::${type}::platform-tls-wildcard`, type, kind: 'Certificate', name: 'platform-tls-wildcard', object: { name, namespace: 'desa-platform' } });

describe('registeredDomain', () => {
  it('is the label under the public suffix: go.id and the other .id second levels, else the last two labels', () => {
    expect(registeredDomain(D)).toBe('bekasikab.go.id');
    expect(registeredDomain(`*.${D}`)).toBe('bekasikab.go.id');
    expect(registeredDomain('sukamaju.desa.id')).toBe('sukamaju.desa.id');
    expect(registeredDomain('desa.example.org.')).toBe('example.org');
  });
});

describe('what a run would order', () => {
  it('counts Certificates a preview creates, replaces or updates, never a deleted one or another kind', () => {
    const orders = ordersFromSteps([
      { stack: 'platform', steps: [step('create'), step('delete', CERTIFICATE_TYPE, 'old'), step('create', 'kubernetes:core/v1:Secret', 'x')] },
      { stack: 'sumberjaya', steps: [step('update')] },
      { stack: 'karangmukti' },
    ]);
    expect(orders).toEqual([
      { source: 'platform: Certificate desa-platform/wildcard', reason: 'create in the preview' },
      { source: 'sumberjaya: Certificate desa-platform/wildcard', reason: 'update in the preview' },
    ]);
  });

  it('reads what cert-manager issued from the state, when the state holds the Certificate\'s status', () => {
    expect(issuedFromState([
      { type: CERTIFICATE_TYPE, urn: 'urn:pulumi:platform::desa::x::platform-tls-wildcard', outputs: { status: { notBefore: '2026-12-01T00:00:00Z' } } },
      { type: CERTIFICATE_TYPE, urn: 'u', outputs: {} },
      { type: 'kubernetes:core/v1:Secret', outputs: { status: { notBefore: '2026-12-01T00:00:00Z' } } },
    ])).toEqual([{ source: 'state: platform-tls-wildcard', notBefore: new Date('2026-12-01T00:00:00Z') }]);
  });
});

describe('certificateBudget', () => {
  const one = [{ source: 'platform: Certificate desa-platform/wildcard', reason: 'create in the preview' }];

  it('a first run orders one wildcard: within the default share of 10', () => {
    const b = certificateBudget({ domain: D, orders: one, issued: [], now, share: 10 });
    expect(b).toMatchObject({ registeredDomain: 'bekasikab.go.id', allowance: 50, limit: 10, wouldOrder: 1, issuedThisWeek: 0, withinLimit: true });
    expect(budgetRefusal(b)).toBeNull();
    expect(budgetLine(b)).toBe('Certificates: this run would order 1 new certificate (0 issued in the last 7 days); bekasikab.go.id shares 50 a week with every other service under it, and desa may use 10 (desa.yaml).');
  });

  it('counts certificates issued in the last 7 days, not older ones', () => {
    const issued = [{ source: 'a', notBefore: daysAgo(1) }, { source: 'b', notBefore: daysAgo(6.9) }, { source: 'c', notBefore: daysAgo(7.1) }];
    const b = certificateBudget({ domain: D, orders: one, issued, now, share: 3 });
    expect(b.issuedThisWeek).toBe(2);
    expect(b.withinLimit).toBe(true);
    expect(certificateBudget({ domain: D, orders: one, issued, now, share: 2 }).withinLimit).toBe(false);
  });

  it('refuses a plan above the share, naming what would be ordered, the flag and the setting; the flag lets it through', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ source: `desa-${i}: Certificate`, reason: 'create in the preview' }));
    const b = certificateBudget({ domain: D, orders: many, issued: [{ source: 'x', notBefore: daysAgo(2) }], now, share: 10 });
    expect(b.withinLimit).toBe(false);
    const r = budgetRefusal(b)!;
    expect(r.message).toMatch(/^This run would order 12 new certificates for bekasikab\.go\.id, 13 in 7 days with the 1 already issued: more than the 10 of the weekly 50 that desa may use \(desa-0: Certificate; /);
    expect(r.nextStep).toContain('--allow-certificates 13');
    expect(r.nextStep).toContain('kabupaten.certificates.weeklyShare in desa.yaml');
    const allowed = certificateBudget({ domain: D, orders: many, issued: [], now, share: 10, allow: 12 });
    expect(allowed).toMatchObject({ withinLimit: true, limit: 12, limitFrom: '--allow-certificates' });
  });

  it('a run that orders nothing is never refused, whatever was issued this week', () => {
    const issued = Array.from({ length: 20 }, () => ({ source: 'x', notBefore: daysAgo(1) }));
    expect(certificateBudget({ domain: D, orders: [], issued, now, share: 10 }).withinLimit).toBe(true);
  });
});

describe('the plan\'s outcome', () => {
  const summary = (withinLimit: boolean): RunSummary => ({
    verb: 'plan',
    ok: true,
    interrupted: false,
    stacks: [{ stack: 'platform', operation: 'preview', result: 'succeeded' } as RunSummary['stacks'][number]],
    certificates: certificateBudget({ domain: D, orders: Array.from({ length: withinLimit ? 1 : 11 }, () => ({ source: 's', reason: 'r' })), issued: [], now, share: 10 }),
  });
  it('exits 7 with the refusal when over the limit, 0 within it', () => {
    expect(EXIT.overBudget).toBe(7);
    expect(exitCodeOf(summary(false))).toBe(7);
    expect(failureMessage(summary(false)).message).toMatch(/would order 11 new certificates/);
    expect(exitCodeOf(summary(true))).toBe(0);
  });
});
