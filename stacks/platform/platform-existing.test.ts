// The platform stack on a bare control plane: custom resources off, every service referenced as
// existing. Nothing CRD-dependent and no chart is created; the outputs point at the existing services.
import { beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY, installMocks, valueOf } from '../../test/fixtures/pulumi-mocks.ts';

const run = installMocks('platform', {
  'desa:inventory': INVENTORY,
  'desa:customResources': 'false',
  'desa:ingress': JSON.stringify({ mode: 'existing', className: 'nginx', namespace: 'ingress-nginx' }),
  'desa:tls': JSON.stringify({ certManager: 'existing' }),
  'desa:dns': JSON.stringify({ mode: 'existing' }),
  'desa:mail': JSON.stringify({
    mode: 'existing',
    host: 'mail.bekasikab.go.id',
    dkimSelector: 'k2026',
    dkimPublicKey: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA',
    dmarcReportsTo: 'dmarc@bekasikab.go.id',
  }),
  'desa:storage': JSON.stringify({ mode: 'existing', endpoint: 'https://s3.bekasikab.go.id' }),
  'desa:webmail': JSON.stringify({ mode: 'existing' }),
  'desa:files': JSON.stringify({ mode: 'existing' }),
});
const { default: main } = await import('../index.ts');

let outputs: Record<string, any>;
beforeAll(async () => {
  outputs = await main();
  await run.settle();
});

describe('platform stack, everything existing, no custom resources', () => {
  it('creates only the platform namespace and the mail records with the existing server\'s DKIM key', () => {
    const k8s = run.resources.filter((r) => r.type.startsWith('kubernetes:'));
    expect(k8s.map((r) => `${r.type} ${r.inputs.metadata?.name}`)).toEqual([
      'kubernetes:core/v1:Namespace desa-platform',
      'kubernetes:core/v1:ConfigMap mail-dns',
    ]);
  });

  it('publishes MX to the existing mail host, SPF, DMARC with reports, and the given DKIM key', async () => {
    const records = await valueOf(outputs.mailDnsRecords);
    expect(records).toEqual([
      { name: 'desa.bekasikab.go.id.', type: 'MX', ttl: 300, values: ['10 mail.bekasikab.go.id.'] },
      { name: 'desa.bekasikab.go.id.', type: 'TXT', ttl: 300, values: ['"v=spf1 mx -all"'] },
      { name: '_dmarc.desa.bekasikab.go.id.', type: 'TXT', ttl: 300, values: ['"v=DMARC1; p=quarantine; adkim=s; aspf=s; rua=mailto:dmarc@bekasikab.go.id"'] },
      { name: 'k2026._domainkey.desa.bekasikab.go.id.', type: 'TXT', ttl: 300, values: ['"v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"'] },
      { name: 'desa.bekasikab.go.id.', type: 'CAA', ttl: 300, values: ['0 issue "letsencrypt.org"', '0 issuewild "letsencrypt.org"'] },
    ]);
    const configMap = run.one('kubernetes:core/v1:ConfigMap', 'mail-dns').inputs;
    expect(configMap.metadata.labels['desa.bekasikab.go.id/consumer']).toBe('dns');
    expect(JSON.parse(await valueOf(configMap.data['records.json']))).toEqual(records);
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
