// Lambangsari once the address of its own app is known (fixture): the subdomain permanently redirects
// there, still under the wildcard certificate; no site workload.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureInventory, installMocks, PLATFORM_CONFIG } from '../../test/fixtures/pulumi-mocks.ts';

const URL = 'https://sid.lambangsari.example.id/';
const inventory = fixtureInventory((t) => t.replace('template: external\n        url: unknown', `template: external\n        url: ${URL}`));
const run = installMocks('lambangsari', { ...PLATFORM_CONFIG, 'desa:inventory': inventory }, ['desa:dnsTsigSecret']);
const { default: main } = await import('../index.ts');

let outputs: Record<string, any>;
beforeAll(async () => {
  outputs = await main();
  await run.settle();
});

describe('Lambangsari with a known app address', () => {
  it('redirects the subdomain with a Traefik Middleware', () => {
    const mw = run.one('kubernetes:traefik.io/v1alpha1:Middleware', 'redirect-external');
    expect(mw.inputs.metadata.namespace).toBe('desa-lambangsari');
    expect(mw.inputs.spec).toEqual({ redirectRegex: { regex: '^.*$', replacement: URL, permanent: true } });
    const ingress = run.one('kubernetes:networking.k8s.io/v1:Ingress', 'subdomain').inputs;
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toBe('desa-lambangsari-redirect-external@kubernetescrd');
    expect(ingress.spec.tls).toEqual([{ hosts: ['lambangsari.desa.bekasikab.go.id'] }]);
    expect(ingress.spec.rules[0].http.paths[0].backend.service.name).toBe('redirect-external');
    expect(run.one('kubernetes:core/v1:Service', 'redirect-external').inputs.spec.selector).toBeUndefined();
    expect(outputs.url).toBe('https://lambangsari.desa.bekasikab.go.id/');
  });

  it('runs no workload and fits the no-workload quota (its one Service, and room for the old site\'s during a switch)', () => {
    expect(run.ofType('kubernetes:apps/v1:Deployment')).toHaveLength(0);
    expect(run.ofType('kubernetes:core/v1:Service')).toHaveLength(1);
    expect(run.one('kubernetes:core/v1:ResourceQuota', 'desa-quota').inputs.spec.hard).toMatchObject({ services: '2', pods: '0' });
  });
});
