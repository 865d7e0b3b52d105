// The platform stack on a bare control plane: custom resources off, every service referenced as
// existing. Nothing CRD-dependent and no chart is created; the outputs point at the existing services.
import { beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY, installMocks } from '../testing/mocks.ts';

const run = installMocks('platform', {
  'desa:inventory': INVENTORY,
  'desa:customResources': 'false',
  'desa:ingress': JSON.stringify({ mode: 'existing', className: 'nginx', namespace: 'ingress-nginx' }),
  'desa:tls': JSON.stringify({ certManager: 'existing' }),
  'desa:dns': JSON.stringify({ mode: 'existing' }),
  'desa:mail': JSON.stringify({ mode: 'existing', host: 'mail.bekasikab.go.id' }),
  'desa:storage': JSON.stringify({ mode: 'existing', endpoint: 'https://s3.bekasikab.go.id' }),
});
const { default: main } = await import('../index.ts');

let outputs: Record<string, any>;
beforeAll(async () => {
  outputs = await main();
  await run.settle();
});

describe('platform stack, everything existing, no custom resources', () => {
  it('creates only the platform namespace', () => {
    const k8s = run.resources.filter((r) => r.type.startsWith('kubernetes:'));
    expect(k8s.map((r) => `${r.type} ${r.inputs.metadata?.name}`)).toEqual(['kubernetes:core/v1:Namespace desa-platform']);
  });

  it('exports the existing endpoints', () => {
    expect(outputs).toMatchObject({
      customResources: false,
      ingressClass: 'nginx',
      ingressNamespace: 'ingress-nginx',
      clusterIssuer: null,
      mailHost: 'mail.bekasikab.go.id',
      mailEndpoint: 'mail.bekasikab.go.id',
      storageEndpoint: 'https://s3.bekasikab.go.id',
      dnsZone: 'desa.bekasikab.go.id',
      modes: { ingress: 'existing', certManager: 'existing', dns: 'existing', mail: 'existing', storage: 'existing' },
    });
  });
});
