// Lambangjaya on OpenSID served outside the cluster (`desa:opensid.mode` existing, as on the local
// servers): its accounts go to the platform namespace for the server to provision, nothing runs in its
// namespace, and the Ingress (hence the DNS name) names a Service without pods.
import { beforeAll, describe, expect, it } from 'vitest';
import { decode, fixtureInventory, installMocks, isSecretAt, PLATFORM_CONFIG, withServices } from '../../test/fixtures/pulumi-mocks.ts';

const inventory = fixtureInventory(withServices('lambangjaya', 'services:\n  site:\n    template: opensid'));
const run = installMocks('lambangjaya', {
  ...PLATFORM_CONFIG,
  'desa:inventory': inventory,
  'desa:opensid': JSON.stringify({ mode: 'existing', source: '/srv/opensid/opensid-2410.0.0.tar.gz', sha256: 'c02380a5524efe9d66785492409e4ef1266bafb84423ecb6f25ace027ff91cfe' }),
});
const { default: main } = await import('../index.ts');
const P = 'desa.bekasikab.go.id';

let outputs: Record<string, any>;
beforeAll(async () => {
  outputs = await main();
  await run.settle();
});

describe('Lambangjaya on OpenSID served outside the cluster', () => {
  it('puts its accounts in the platform namespace, labelled for the server that provisions them', () => {
    const secret = run.one('kubernetes:core/v1:Secret', 'opensid-lambangjaya');
    expect(secret.inputs.metadata.namespace).toBe('desa-platform');
    expect(secret.inputs.metadata.labels).toMatchObject({ [`${P}/consumer`]: 'opensid', [`${P}/slug`]: 'lambangjaya' });
    const data = Object.fromEntries(Object.entries(secret.inputs.data as Record<string, string>).map(([k, v]) => [k, decode(v)]));
    expect(data).toMatchObject({ host: 'lambangjaya.desa.bekasikab.go.id', code: '3216062003', database: 'opensid_3216062003', username: 'opensid_3216062003', adminUsername: 'admin' });
    expect(JSON.parse(data.identity!)).toEqual({
      nama_desa: 'Lambangjaya',
      kode_desa: '3216062003',
      nama_kecamatan: 'Tambun Selatan',
      kode_kecamatan: '321606',
      nama_kabupaten: 'Bekasi',
      kode_kabupaten: '3216',
      nama_propinsi: 'Jawa Barat',
      kode_propinsi: '32',
    });
    expect(data.password).toMatch(/^[2-9a-hjkmnp-z]{40}$/);
    expect(data.rootPassword).toBeUndefined();
    for (const key of ['password', 'adminPassword']) expect(isSecretAt(secret.raw, ['data', key]), key).toBe(true);
  });

  it('runs nothing in its namespace: no Deployment, StatefulSet or claim, and no quota for them', () => {
    expect(run.ofType('kubernetes:apps/v1:Deployment')).toEqual([]);
    expect(run.ofType('kubernetes:apps/v1:StatefulSet')).toEqual([]);
    expect(run.ofType('kubernetes:core/v1:PersistentVolumeClaim')).toEqual([]);
    expect(run.one('kubernetes:core/v1:ResourceQuota', 'desa-quota').inputs.spec.hard).toMatchObject({ pods: '0', persistentvolumeclaims: '0' });
    const ns = run.one('kubernetes:core/v1:Namespace', 'desa-lambangjaya');
    expect(ns.inputs.metadata.labels[`${P}/site-template`]).toBe('opensid');
  });

  it('routes its host to a Service without pods, for the DNS name and whatever serves it', () => {
    const service = run.one('kubernetes:core/v1:Service', 'opensid').inputs;
    expect(service.metadata.namespace).toBe('desa-lambangjaya');
    expect(service.spec.selector).toBeUndefined();
    const ingress = run.one('kubernetes:networking.k8s.io/v1:Ingress', 'subdomain').inputs.spec;
    expect(ingress.rules[0].host).toBe('lambangjaya.desa.bekasikab.go.id');
    expect(ingress.rules[0].http.paths[0].backend.service).toEqual({ name: 'opensid', port: { number: 80 } });
  });

  it('exports the administrator login as a secret', async () => {
    const pulumi = await import('@pulumi/pulumi');
    expect(await pulumi.isSecret(outputs.opensidAdmin)).toBe(true);
    const admin = await new Promise<any>((resolve) => outputs.opensidAdmin.apply(resolve));
    expect(admin.url).toBe('https://lambangjaya.desa.bekasikab.go.id/index.php/siteman');
    expect(admin.password).toBe(decode(run.one('kubernetes:core/v1:Secret', 'opensid-lambangjaya').inputs.data.adminPassword));
  });
});
