// Sumberjaya (32.16.06.2010): a pilot desa of Desa Digital 2022, profil site, the kind's default
// mailboxes and storage. Runs the real entry point, stacks/index.ts, under mocks.
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode, installMocks, isSecretAt, PLATFORM_CONFIG, valueOf } from '../../test/fixtures/pulumi-mocks.ts';

const run = installMocks('sumberjaya', PLATFORM_CONFIG, ['desa:dnsTsigSecret']);
const { default: main } = await import('../index.ts');
const P = 'desa.bekasikab.go.id';

let outputs: Record<string, any>;
beforeAll(async () => {
  outputs = await main();
  await run.settle();
});

describe('Sumberjaya desa stack', () => {
  it('labels the namespace with code, kecamatan, kind, slug and pilot programme', () => {
    const ns = run.one('kubernetes:core/v1:Namespace', 'desa-sumberjaya');
    expect(ns.inputs.metadata.labels).toMatchObject({
      [`${P}/code`]: '32.16.06.2010',
      [`${P}/kecamatan`]: 'tambun-selatan',
      [`${P}/kecamatan-code`]: '32.16.06',
      [`${P}/kind`]: 'desa',
      [`${P}/slug`]: 'sumberjaya',
      [`${P}/programme.desa-digital-2022`]: 'true',
      [`${P}/site-template`]: 'profil',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    expect(ns.inputs.metadata.annotations).toMatchObject({ [`${P}/name`]: 'Sumberjaya', [`${P}/kecamatan-name`]: 'Tambun Selatan' });
  });

  it('sizes the quota and limits for the profil template', () => {
    const quota = run.one('kubernetes:core/v1:ResourceQuota', 'desa-quota');
    expect(quota.inputs.metadata.namespace).toBe('desa-sumberjaya');
    expect(quota.inputs.spec.hard).toMatchObject({ 'limits.cpu': '500m', 'limits.memory': '256Mi', pods: '4', persistentvolumeclaims: '0', 'requests.storage': '0' });
    const limits = run.one('kubernetes:core/v1:LimitRange', 'desa-limits');
    expect(limits.inputs.spec.limits[0]).toMatchObject({ type: 'Container', default: { cpu: '100m', memory: '64Mi' } });
  });

  it('denies all ingress and lets only the ingress controller namespace reach the site pods', () => {
    const deny = run.one('kubernetes:networking.k8s.io/v1:NetworkPolicy', 'default-deny');
    expect(deny.inputs.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const allow = run.one('kubernetes:networking.k8s.io/v1:NetworkPolicy', 'allow-ingress-controller');
    expect(allow.inputs.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'profil', 'app.kubernetes.io/component': 'site' });
    expect(allow.inputs.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } } }], ports: [{ protocol: 'TCP', port: 'http' }] },
    ]);
    // The pods the policy admits are the pods the Deployment runs.
    const deployment = run.one('kubernetes:apps/v1:Deployment', 'profil');
    expect(deployment.inputs.spec.template.metadata.labels).toMatchObject(allow.inputs.spec.podSelector.matchLabels);
    expect(run.ofType('kubernetes:networking.k8s.io/v1:NetworkPolicy')).toHaveLength(2);
  });

  it('creates one mailbox Secret per role in the platform namespace, passwords random and kept', () => {
    const mailboxes = run.ofType('kubernetes:core/v1:Secret').filter((s) => s.inputs.metadata.labels[`${P}/consumer`] === 'mailbox');
    expect(mailboxes.map((s) => s.inputs.metadata.name).sort()).toEqual([
      'mailbox-sumberjaya-kepala-desa',
      'mailbox-sumberjaya-operator',
      'mailbox-sumberjaya-sekretaris-desa',
    ]);
    const kepala = run.one('kubernetes:core/v1:Secret', 'mailbox-sumberjaya-kepala-desa');
    expect(kepala.inputs.metadata.namespace).toBe('desa-platform');
    expect(kepala.inputs.metadata.annotations).toEqual({ [`${P}/quota`]: '2Gi', [`${P}/aliases`]: '' });
    expect(decode(kepala.inputs.data.address)).toBe('sumberjaya.kepala-desa@desa.bekasikab.go.id');
    const passwords = mailboxes.map((s) => decode(s.inputs.data.password));
    for (const p of passwords) expect(p).toMatch(/^[2-9a-hjkmnp-z]{40}$/);
    expect(new Set(passwords).size).toBe(3);
    for (const s of mailboxes) expect(isSecretAt(s.raw, ['data', 'password'])).toBe(true);
    // In data (base64), not stringData: the provider folds stringData into data, and ignoreChanges
    // keeps `data.password` (stacks/secrets.ts).
    expect(kepala.inputs.stringData).toBeUndefined();
  });

  it('creates the bucket desa-sumberjaya with a scoped key and the inventory quota', () => {
    const bucket = run.one('kubernetes:core/v1:Secret', 'bucket-sumberjaya');
    expect(bucket.inputs.metadata.namespace).toBe('desa-platform');
    expect(bucket.inputs.metadata.annotations).toEqual({ [`${P}/quota`]: '20Gi', [`${P}/access`]: 'bucket-access-sumberjaya' });
    expect(decode(bucket.inputs.data.bucket)).toBe('desa-sumberjaya');
    expect(decode(bucket.inputs.data.policy)).toBe('readwrite:desa-sumberjaya');
    expect(decode(bucket.inputs.data.secretAccessKey)).toMatch(/^[2-9a-hjkmnp-z]{40}$/);
    expect(isSecretAt(bucket.raw, ['data', 'secretAccessKey'])).toBe(true);
  });

  it('grants the bucket key through an access Secret that copies the claim\'s key, as a secret', () => {
    const bucket = run.one('kubernetes:core/v1:Secret', 'bucket-sumberjaya');
    expect(bucket.inputs.metadata.annotations[`${P}/access`]).toBe('bucket-access-sumberjaya');
    const access = run.one('kubernetes:core/v1:Secret', 'bucket-access-sumberjaya');
    expect(access.inputs.metadata.namespace).toBe('desa-platform');
    expect(access.inputs.metadata.labels).toMatchObject({ [`${P}/consumer`]: 'bucket-access', [`${P}/slug`]: 'sumberjaya' });
    // No empty annotations: the live object has none, and `{}` would be an update at every run.
    expect(access.inputs.metadata.annotations).toBeUndefined();
    expect(access.inputs.data).toEqual({
      bucket: bucket.inputs.data.bucket,
      accessKeyId: bucket.inputs.data.accessKeyId,
      secretAccessKey: bucket.inputs.data.secretAccessKey,
      policy: bucket.inputs.data.policy,
      filesPassword: bucket.inputs.data.filesPassword,
      filesAdminPassword: bucket.inputs.data.filesAdminPassword,
    });
    expect(isSecretAt(access.raw, ['data', 'secretAccessKey'])).toBe(true);
    // The file space's login and admin passwords (issue 13): generated like every password, kept, secret.
    expect(decode(bucket.inputs.data.filesPassword)).toMatch(/^[2-9a-hjkmnp-z]{40}$/);
    expect(decode(bucket.inputs.data.filesAdminPassword)).toMatch(/^[2-9a-hjkmnp-z]{40}$/);
    expect(decode(bucket.inputs.data.filesPassword)).not.toBe(decode(bucket.inputs.data.filesAdminPassword));
    expect(isSecretAt(access.raw, ['data', 'filesPassword'])).toBe(true);
  });

  it('routes sumberjaya.desa.bekasikab.go.id to the profil Service under the wildcard certificate', () => {
    const ingress = run.one('kubernetes:networking.k8s.io/v1:Ingress', 'subdomain');
    expect(ingress.inputs.metadata.namespace).toBe('desa-sumberjaya');
    expect(ingress.inputs.spec.ingressClassName).toBe('traefik');
    expect(ingress.inputs.spec.tls).toEqual([{ hosts: ['sumberjaya.desa.bekasikab.go.id'] }]);
    expect(ingress.inputs.spec.rules[0].host).toBe('sumberjaya.desa.bekasikab.go.id');
    expect(ingress.inputs.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'profil', port: { number: 80 } } });
    expect(ingress.inputs.metadata.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe('sumberjaya.desa.bekasikab.go.id');
    const service = run.one('kubernetes:core/v1:Service', 'profil');
    expect(service.inputs.spec.ports[0]).toMatchObject({ port: 80, targetPort: 'http' });
  });

  it('serves the profile page in Bahasa Indonesia with the desa name and kecamatan', () => {
    const cm = run.one('kubernetes:core/v1:ConfigMap', 'profil-content');
    const html: string = cm.inputs.data['index.html'];
    expect(html).toContain('<html lang="id">');
    expect(html).toContain('<h1>Desa Sumberjaya</h1>');
    expect(html).toContain('Kecamatan Tambun Selatan');
    expect(html).toContain('sumberjaya.sekretaris-desa@desa.bekasikab.go.id');
    expect(html).toContain('Desa Digital 2022');
    const deployment = run.one('kubernetes:apps/v1:Deployment', 'profil');
    const container = deployment.inputs.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet).toEqual({ path: '/', port: 'http' });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
  });

  it('passes the one explicit provider to every Kubernetes resource', () => {
    const providers = run.ofType('pulumi:providers:kubernetes');
    expect(providers).toHaveLength(1);
    expect(providers[0]!.inputs.context).toBe('desa-test');
    const k8s = run.resources.filter((r) => r.type.startsWith('kubernetes:'));
    expect(k8s.length).toBeGreaterThan(10);
    for (const r of k8s) expect(r.provider, `${r.type} ${r.name}`).toMatch(/pulumi:providers:kubernetes::kubernetes::/);
  });

  it('names every Pulumi resource after the desa', () => {
    for (const r of run.resources.filter((x) => x.type !== 'pulumi:providers:kubernetes')) expect(r.name).toMatch(/^sumberjaya(-|$)/);
    const components = run.resources.filter((r) => r.type.startsWith('desa:')).map((r) => `${r.type} ${r.name}`);
    expect(components.sort()).toEqual([
      'desa:desa:Desa sumberjaya',
      'desa:desa:Mailboxes sumberjaya-mail',
      'desa:desa:Namespace sumberjaya-namespace',
      'desa:desa:Site sumberjaya-site',
      'desa:desa:Storage sumberjaya-storage',
      'desa:desa:Subdomain sumberjaya-subdomain',
    ]);
  });

  it('exports host, url, template, mailboxes and bucket in clear, credentials only as secrets', async () => {
    expect(await valueOf(outputs.namespace)).toBe('desa-sumberjaya');
    expect(outputs.host).toBe('sumberjaya.desa.bekasikab.go.id');
    expect(outputs.url).toBe('https://sumberjaya.desa.bekasikab.go.id/');
    expect(outputs.siteTemplate).toBe('profil');
    expect(outputs.bucket).toBe('desa-sumberjaya');
    expect(outputs.mailboxes).toEqual([
      'sumberjaya.kepala-desa@desa.bekasikab.go.id',
      'sumberjaya.sekretaris-desa@desa.bekasikab.go.id',
      'sumberjaya.operator@desa.bekasikab.go.id',
    ]);
    expect(await pulumi.isSecret(outputs.mailPasswords)).toBe(true);
    expect(await pulumi.isSecret(outputs.storageCredentials)).toBe(true);
    const passwords = await valueOf<Record<string, string>>(outputs.mailPasswords);
    expect(Object.keys(passwords)).toEqual(outputs.mailboxes);
    const kepala = run.one('kubernetes:core/v1:Secret', 'mailbox-sumberjaya-kepala-desa');
    expect(passwords['sumberjaya.kepala-desa@desa.bekasikab.go.id']).toBe(decode(kepala.inputs.data.password));
    const credentials = await valueOf<any>(outputs.storageCredentials);
    expect(credentials).toMatchObject({ bucket: 'desa-sumberjaya', accessKeyId: 'desa-sumberjaya' });
    // Not on OpenSID: no administrator login, and the output is a secret all the same.
    expect(await pulumi.isSecret(outputs.opensidAdmin)).toBe(true);
    expect(await valueOf(outputs.opensidAdmin)).toBeNull();
    for (const [key, value] of Object.entries(outputs)) {
      if (key === 'mailPasswords' || key === 'storageCredentials' || key === 'opensidAdmin') continue;
      if (pulumi.Output.isInstance(value)) expect(await pulumi.isSecret(value), key).toBe(false);
    }
  });
});
