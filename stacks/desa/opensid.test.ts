// Lambangjaya (32.16.06.2003) switched to OpenSID in a fixture copy of desa.yaml, run in the cluster: the
// larger quota, MariaDB with generated credentials in the one OpenSID Secret, claims within the quota,
// site → database traffic allowed, and the administrator's login as a secret output.
import { beforeAll, describe, expect, it } from 'vitest';
import { decode, fixtureInventory, installMocks, isSecretAt, PLATFORM_CONFIG, withServices } from '../../test/fixtures/pulumi-mocks.ts';
import { mebibytes } from './sizing.ts';

const inventory = fixtureInventory(withServices('lambangjaya', 'services:\n  site:\n    template: opensid'));
const run = installMocks(
  'lambangjaya',
  { ...PLATFORM_CONFIG, 'desa:inventory': inventory, 'desa:images': JSON.stringify({ opensid: 'registry.bekasikab.go.id/opensid:24.05' }) },
  ['desa:dnsTsigSecret'],
);
const { default: main } = await import('../index.ts');
const P = 'desa.bekasikab.go.id';

let outputs: Record<string, any>;
beforeAll(async () => {
  outputs = await main();
  await run.settle();
});

describe('Lambangjaya on the opensid template', () => {
  it('labels the namespace opensid and enforces the baseline pod security level', () => {
    const ns = run.one('kubernetes:core/v1:Namespace', 'desa-lambangjaya');
    expect(ns.inputs.metadata.labels).toMatchObject({ [`${P}/site-template`]: 'opensid', 'pod-security.kubernetes.io/enforce': 'baseline' });
    expect(outputs.siteTemplate).toBe('opensid');
  });

  it('gets the larger quota, and the claims fit in its storage quota', () => {
    const hard = run.one('kubernetes:core/v1:ResourceQuota', 'desa-quota').inputs.spec.hard;
    expect(hard).toMatchObject({ 'limits.cpu': '3', 'limits.memory': '3Gi', pods: '8', persistentvolumeclaims: '4', 'requests.storage': '30Gi' });
    const files = run.one('kubernetes:core/v1:PersistentVolumeClaim', 'opensid-files').inputs.spec.resources.requests.storage;
    const uploads = run.one('kubernetes:core/v1:PersistentVolumeClaim', 'opensid-uploads').inputs.spec.resources.requests.storage;
    const db = run.one('kubernetes:apps/v1:StatefulSet', 'opensid-db').inputs.spec.volumeClaimTemplates[0].spec.resources.requests.storage;
    expect([files, uploads, db]).toEqual(['5Gi', '10Gi', '10Gi']);
    expect(mebibytes(files) + mebibytes(uploads) + mebibytes(db)).toBeLessThanOrEqual(mebibytes(hard['requests.storage']));
    const pvcMax = run.one('kubernetes:core/v1:LimitRange', 'desa-limits').inputs.spec.limits.find((l: any) => l.type === 'PersistentVolumeClaim');
    expect(pvcMax.max.storage).toBe('20Gi');
  });

  it('generates the database and administrator passwords as secrets, the names and identity in clear', () => {
    const secret = run.one('kubernetes:core/v1:Secret', 'opensid');
    expect(secret.inputs.metadata.namespace).toBe('desa-lambangjaya');
    expect(decode(secret.inputs.data.database)).toBe('opensid_3216062003');
    expect(decode(secret.inputs.data.username)).toBe('opensid_3216062003');
    expect(JSON.parse(decode(secret.inputs.data.identity))).toMatchObject({ nama_desa: 'Lambangjaya', kode_desa: '3216062003', nama_propinsi: 'Jawa Barat' });
    const root = decode(secret.inputs.data.rootPassword);
    const user = decode(secret.inputs.data.password);
    expect(root).toMatch(/^[2-9a-hjkmnp-z]{40}$/);
    expect(user).not.toBe(root);
    expect(decode(secret.inputs.data.adminPassword)).toMatch(/^[2-9a-zA-Z]{4}(-[2-9a-zA-Z]{4}){3}$/);
    for (const key of ['rootPassword', 'password', 'adminPassword']) expect(isSecretAt(secret.raw, ['data', key]), key).toBe(true);
  });

  it('exports the administrator login only as a secret, with the password the Secret holds', async () => {
    const pulumi = await import('@pulumi/pulumi');
    expect(await pulumi.isSecret(outputs.opensidAdmin)).toBe(true);
    const admin = await new Promise<any>((resolve) => outputs.opensidAdmin.apply(resolve));
    const secret = run.one('kubernetes:core/v1:Secret', 'opensid');
    expect(admin).toEqual({ url: 'https://lambangjaya.desa.bekasikab.go.id/index.php/siteman', username: 'admin', password: decode(secret.inputs.data.adminPassword) });
  });

  it('runs OpenSID and MariaDB wired to the same Secret', () => {
    const app = run.one('kubernetes:apps/v1:Deployment', 'opensid').inputs.spec;
    expect(app.strategy).toEqual({ type: 'Recreate' });
    const c = app.template.spec.containers[0];
    expect(c.image).toBe('registry.bekasikab.go.id/opensid:24.05');
    expect(c.env.find((e: any) => e.name === 'DB_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'opensid', key: 'password' });
    expect(c.env.find((e: any) => e.name === 'DB_HOST').value).toBe('opensid-db');
    const db = run.one('kubernetes:apps/v1:StatefulSet', 'opensid-db').inputs.spec;
    expect(db.serviceName).toBe('opensid-db');
    expect(db.template.spec.containers[0].image).toBe('docker.io/library/mariadb:10.11');
    expect(run.one('kubernetes:core/v1:Service', 'opensid-db').inputs.spec.clusterIP).toBe('None');
    // Services are not awaited (a fixed 10 s settle); the workloads behind them are.
    expect(run.one('kubernetes:core/v1:Service', 'opensid-db').inputs.metadata.annotations).toEqual({ 'pulumi.com/skipAwait': 'true' });
    expect(run.one('kubernetes:apps/v1:StatefulSet', 'opensid-db').inputs.metadata.annotations).toBeUndefined();
  });

  it('allows the ingress controller to OpenSID and only OpenSID to MariaDB', () => {
    const policies = run.ofType('kubernetes:networking.k8s.io/v1:NetworkPolicy').map((p) => p.inputs.metadata.name);
    expect(policies).toEqual(['default-deny', 'allow-ingress-controller', 'allow-site-to-database']);
    const toDb = run.one('kubernetes:networking.k8s.io/v1:NetworkPolicy', 'allow-site-to-database').inputs.spec;
    expect(toDb.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'mariadb', 'app.kubernetes.io/component': 'database' });
    expect(toDb.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'opensid', 'app.kubernetes.io/component': 'site' } } }], ports: [{ protocol: 'TCP', port: 3306 }] },
    ]);
  });

  it('routes the subdomain to the OpenSID Service', () => {
    const ingress = run.one('kubernetes:networking.k8s.io/v1:Ingress', 'subdomain').inputs.spec;
    expect(ingress.rules[0].host).toBe('lambangjaya.desa.bekasikab.go.id');
    expect(ingress.rules[0].http.paths[0].backend.service).toEqual({ name: 'opensid', port: { number: 80 } });
    expect(ingress.tls).toEqual([{ hosts: ['lambangjaya.desa.bekasikab.go.id'] }]);
  });
});
