// The platform stack with every service deployed and custom resources on (stacks/index.ts under mocks).
import { createPublicKey } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode, installMocks, isSecretAt, PLATFORM_CONFIG, valueOf } from '../../test/fixtures/pulumi-mocks.ts';

const run = installMocks('platform', PLATFORM_CONFIG, ['desa:dnsTsigSecret']);
const { default: main } = await import('../index.ts');

let outputs: Record<string, any>;
beforeAll(async () => {
  outputs = await main();
  await run.settle();
});

const CR = 'kubernetes:';
const chart = (name: string) => run.ofType('kubernetes:helm.sh/v4:Chart').find((c) => c.name === name)!;

describe('platform stack', () => {
  it('creates the desa-platform namespace and the controllers\' namespaces', () => {
    const names = run.ofType('kubernetes:core/v1:Namespace').map((n) => n.inputs.metadata.name).sort();
    expect(names).toEqual(['cert-manager', 'desa-platform', 'traefik']);
  });

  it('installs Traefik with its ingress class and a default TLS store holding the wildcard certificate', () => {
    const traefik = chart('platform-ingress-traefik');
    expect(traefik.inputs).toMatchObject({ chart: 'traefik', namespace: 'traefik', repositoryOpts: { repo: 'https://traefik.github.io/charts' } });
    expect(traefik.inputs.values.ingressClass).toEqual({ enabled: true, isDefaultClass: false, name: 'traefik' });
    expect(traefik.inputs.values.providers.kubernetesIngress.allowEmptyServices).toBe(true);
    const store = run.one(`${CR}traefik.io/v1alpha1:TLSStore`, 'default');
    expect(store.inputs.metadata.namespace).toBe('desa-platform');
    expect(store.inputs.spec).toEqual({ defaultCertificate: { secretName: 'wildcard-tls' } });
  });

  it('issues ONE wildcard certificate for the desa domain through a DNS-01 ClusterIssuer', () => {
    const certs = run.ofType(`${CR}cert-manager.io/v1:Certificate`);
    expect(certs).toHaveLength(1);
    const cert = certs[0]!.inputs;
    expect(cert.metadata.namespace).toBe('desa-platform');
    expect(cert.spec.dnsNames).toEqual(['*.desa.bekasikab.go.id', 'desa.bekasikab.go.id']);
    expect(cert.spec.secretName).toBe('wildcard-tls');
    expect(cert.spec.issuerRef).toEqual({ name: 'letsencrypt-dns01', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    const issuer = run.one(`${CR}cert-manager.io/v1:ClusterIssuer`, 'letsencrypt-dns01').inputs.spec.acme;
    expect(issuer.server).toBe('https://acme-v02.api.letsencrypt.org/directory');
    // No contact e-mail is configured, and none is needed (Let's Encrypt sends no expiry mail since June 2025).
    expect(issuer).not.toHaveProperty('email');
    // Renewal follows the CA's renewal information (ARI), which the controller acts on with its feature gate.
    expect(issuer.renewalInformationSource).toBe('ARI');
    expect(issuer.solvers[0].selector).toEqual({ dnsZones: ['desa.bekasikab.go.id'] });
    expect(issuer.solvers[0].dns01.rfc2136).toEqual({
      nameserver: 'ns1.bekasikab.go.id:53',
      tsigKeyName: 'desa-platform.',
      tsigAlgorithm: 'HMACSHA256',
      tsigSecretSecretRef: { name: 'rfc2136-tsig', key: 'secret' },
    });
    expect(chart('platform-tls-cert-manager').inputs).toMatchObject({ chart: 'oci://quay.io/jetstack/charts/cert-manager', namespace: 'cert-manager', values: { crds: { enabled: true }, featureGates: 'ACMEUseARI=true' } });
  });

  it('keeps the TSIG key a secret, in cert-manager\'s namespace and in the platform namespace', () => {
    const forIssuer = run.one('kubernetes:core/v1:Secret', 'rfc2136-tsig');
    expect(forIssuer.inputs.metadata.namespace).toBe('cert-manager');
    expect(decode(forIssuer.inputs.data.secret)).toBe('c2VjcmV0LXRzaWcta2V5LWZvci10ZXN0cw==');
    expect(isSecretAt(forIssuer.raw, ['data', 'secret'])).toBe(true);
    const forDns = run.one('kubernetes:core/v1:Secret', 'external-dns-tsig');
    expect(forDns.inputs.metadata.namespace).toBe('desa-platform');
    expect(isSecretAt(forDns.raw, ['data', 'secret'])).toBe(true);
  });

  it('runs ExternalDNS on Ingress hosts of the desa zone, the key from the environment', () => {
    const values = chart('platform-dns-external-dns').inputs.values;
    expect(values).toMatchObject({ provider: { name: 'rfc2136' }, sources: ['ingress', 'crd'], domainFilters: ['desa.bekasikab.go.id'], policy: 'sync', txtOwnerId: 'desa-platform' });
    expect(values.extraArgs).toContain('--rfc2136-host=ns1.bekasikab.go.id');
    expect(values.extraArgs).toContain('--rfc2136-zone=desa.bekasikab.go.id');
    expect(values.extraArgs.join(' ')).not.toContain('c2VjcmV0');
    const endpoint = run.one('kubernetes:externaldns.k8s.io/v1alpha1:DNSEndpoint', 'mail-dns').inputs;
    expect(endpoint.spec.endpoints.map((e: any) => `${e.dnsName} ${e.recordType}`)).toEqual([
      'desa.bekasikab.go.id MX',
      'desa.bekasikab.go.id TXT',
      '_dmarc.desa.bekasikab.go.id TXT',
      'mail._domainkey.desa.bekasikab.go.id TXT',
      'desa.bekasikab.go.id CAA',
    ]);
    expect(values.env[0].valueFrom.secretKeyRef).toEqual({ name: 'external-dns-tsig', key: 'secret' });
  });

  it('deploys the mail server with the wildcard certificate for mail.desa.bekasikab.go.id', () => {
    const mail = run.one('kubernetes:apps/v1:Deployment', 'mail').inputs;
    expect(mail.metadata.namespace).toBe('desa-platform');
    const c = mail.spec.template.spec.containers[0];
    expect(c.env).toContainEqual({ name: 'OVERRIDE_HOSTNAME', value: 'mail.desa.bekasikab.go.id' });
    expect(c.env).toContainEqual({ name: 'SSL_TYPE', value: 'manual' });
    expect(mail.spec.template.spec.volumes).toContainEqual({ name: 'tls', secret: { secretName: 'wildcard-tls' } });
    const svc = run.one('kubernetes:core/v1:Service', 'mail').inputs.spec;
    expect(svc.ports.map((p: any) => p.port)).toEqual([25, 465, 587, 993]);
  });

  it('generates one DKIM key, kept secret, and publishes its public half with MX, SPF and DMARC', async () => {
    const dkim = run.one('kubernetes:core/v1:Secret', 'mail-dkim');
    expect(isSecretAt(dkim.raw, ['data', 'privateKey'])).toBe(true);
    expect(decode(dkim.inputs.data.selector)).toBe('mail');
    const pem = decode(dkim.inputs.data.privateKey);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const spki = createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');
    const records = await valueOf(outputs.mailDnsRecords);
    expect(records.slice(0, 3)).toEqual([
      { name: 'desa.bekasikab.go.id.', type: 'MX', ttl: 300, values: ['10 mail.desa.bekasikab.go.id.'] },
      { name: 'desa.bekasikab.go.id.', type: 'TXT', ttl: 300, values: ['"v=spf1 mx -all"'] },
      { name: '_dmarc.desa.bekasikab.go.id.', type: 'TXT', ttl: 300, values: ['"v=DMARC1; p=quarantine; adkim=s; aspf=s"'] },
    ]);
    const key = records[3];
    expect(key).toMatchObject({ name: 'mail._domainkey.desa.bekasikab.go.id.', type: 'TXT' });
    // Split into quoted strings of at most 255 characters; joined, it is the record of the generated key.
    const strings = [...key.values[0].matchAll(/"([^"]*)"/g)].map((m: RegExpMatchArray) => m[1]!);
    expect(Math.max(...strings.map((x) => x.length))).toBeLessThanOrEqual(255);
    expect(strings.join('')).toBe(`v=DKIM1; k=rsa; p=${spki}`);
    expect(await pulumi.isSecret(outputs.mailDnsRecords)).toBe(false);
  });

  it('deploys the S3 storage service with a generated admin key', () => {
    const admin = run.one('kubernetes:core/v1:Secret', 'storage-admin');
    expect(decode(admin.inputs.data.AWS_SECRET_ACCESS_KEY)).toMatch(/^[2-9a-hjkmnp-z]{40}$/);
    expect(isSecretAt(admin.raw, ['data', 'AWS_SECRET_ACCESS_KEY'])).toBe(true);
    expect(run.one('kubernetes:core/v1:Service', 'storage').inputs.spec.ports[0].port).toBe(7070);
    const gateway = run.one('kubernetes:apps/v1:Deployment', 'storage').inputs.spec.template.spec.containers[0];
    expect(gateway.image).toBe('docker.io/versity/versitygw:v1.8.0');
    expect(gateway.args).toEqual(['--port', ':7070', '--iam-dir', '/data/iam', '--iam-cache-disable', 'posix', '/data/buckets']);
    expect(gateway.env.map((e: any) => `${e.name}<-${e.valueFrom.secretKeyRef.key}`)).toEqual(['ROOT_ACCESS_KEY_ID<-AWS_ACCESS_KEY_ID', 'ROOT_SECRET_ACCESS_KEY<-AWS_SECRET_ACCESS_KEY']);
    expect(run.one('kubernetes:core/v1:PersistentVolumeClaim', 'storage-data').inputs.spec.resources.requests.storage).toBe('500Gi');
  });

  it('deploys Roundcube at webmail.<domain>, pinned, on the wildcard certificate, talking TLS to the mail server', () => {
    const d = run.one('kubernetes:apps/v1:Deployment', 'webmail').inputs;
    expect(d.metadata.namespace).toBe('desa-platform');
    const c = d.spec.template.spec.containers[0];
    // An exact release tag, never latest.
    expect(c.image).toBe('docker.io/roundcube/roundcubemail:1.6.12-apache');
    expect(c.image).toMatch(/:\d+\.\d+\.\d+-apache$|@sha256:/);
    // The DES key only from its Secret: no plain value of it in the pod spec.
    expect(c.env.find((e: any) => e.name === 'ROUNDCUBEMAIL_DES_KEY')).toEqual({ name: 'ROUNDCUBEMAIL_DES_KEY', valueFrom: { secretKeyRef: { name: 'webmail-secret', key: 'desKey' } } });
    const secret = run.one('kubernetes:core/v1:Secret', 'webmail-secret');
    expect(isSecretAt(secret.raw, ['data', 'desKey'])).toBe(true);
    expect(decode(secret.inputs.data.desKey)).toHaveLength(24);
    const php = run.one('kubernetes:core/v1:ConfigMap', 'webmail-config').inputs.data['desa.php'];
    expect(php).toContain("$config['imap_host'] = 'ssl://mail.desa-platform.svc.cluster.local:993';");
    expect(php).toContain("$config['smtp_host'] = 'tls://mail.desa-platform.svc.cluster.local:587';");
    expect(php).toContain("'verify_peer' => true");
    expect(php).toContain("'peer_name' => 'mail.desa.bekasikab.go.id'");
    expect(php).toContain("$config['language'] = 'id_ID';");
    expect(php).toContain("$config['username_domain'] = 'desa.bekasikab.go.id';");
    expect(php).toContain("$config['plugins'] = [];");
    const ing = run.one('kubernetes:networking.k8s.io/v1:Ingress', 'webmail').inputs;
    expect(ing.spec.rules[0].host).toBe('webmail.desa.bekasikab.go.id');
    // The wildcard from Traefik's default TLS store: the host is listed, no per-host certificate Secret.
    expect(ing.spec.tls).toEqual([{ hosts: ['webmail.desa.bekasikab.go.id'] }]);
    expect(ing.metadata.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe('webmail.desa.bekasikab.go.id');
    expect(ing.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'webmail', port: { number: 80 } });
    expect(run.one('kubernetes:core/v1:PersistentVolumeClaim', 'webmail-data').inputs.spec.resources.requests.storage).toBe('1Gi');
  });

  it('deploys SFTPGo v2.7.5 at files.<domain> with its data volume, WebDAV under /dav, the admin password from a Secret', () => {
    const d = run.one('kubernetes:apps/v1:Deployment', 'files').inputs;
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe('docker.io/drakkan/sftpgo:v2.7.5');
    for (const e of c.env) if (/PASSWORD|USERNAME/.test(e.name)) expect(e.value, e.name).toBeUndefined();
    expect(c.env).toContainEqual({ name: 'SFTPGO_DEFAULT_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'files-admin', key: 'password' } } });
    // Only keys SFTPGo v2.7.5's sftpgo.json has (httpd.bindings, webdavd.bindings, data_provider), as SFTPGO_ env.
    expect(c.env.map((e: any) => e.name)).toEqual([
      'SFTPGO_HTTPD__BINDINGS__0__PORT',
      'SFTPGO_WEBDAVD__BINDINGS__0__PORT',
      'SFTPGO_WEBDAVD__BINDINGS__0__PREFIX',
      'SFTPGO_HTTPD__BINDINGS__0__PROXY_ALLOWED',
      'SFTPGO_HTTPD__BINDINGS__0__CLIENT_IP_PROXY_HEADER',
      'SFTPGO_DATA_PROVIDER__CREATE_DEFAULT_ADMIN',
      'SFTPGO_DEFAULT_ADMIN_USERNAME',
      'SFTPGO_DEFAULT_ADMIN_PASSWORD',
    ]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    const admin = run.one('kubernetes:core/v1:Secret', 'files-admin');
    expect(isSecretAt(admin.raw, ['data', 'password'])).toBe(true);
    expect(decode(admin.inputs.data.password)).toMatch(/^[2-9a-hjkmnp-z]{40}$/);
    expect(d.spec.template.spec.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'files-data' } }]);
    const pvc = run.one('kubernetes:core/v1:PersistentVolumeClaim', 'files-data');
    expect(pvc.inputs.spec.resources.requests.storage).toBe('500Gi');
    const ing = run.one('kubernetes:networking.k8s.io/v1:Ingress', 'files').inputs;
    expect(ing.spec.rules[0].host).toBe('files.desa.bekasikab.go.id');
    expect(ing.spec.tls).toEqual([{ hosts: ['files.desa.bekasikab.go.id'] }]);
    expect(ing.spec.rules[0].http.paths.map((p: any) => `${p.path} -> ${p.backend.service.port.number}`)).toEqual(['/dav -> 8090', '/ -> 8080']);
    expect(run.one('kubernetes:core/v1:Service', 'files').inputs.spec.ports.map((p: any) => p.port)).toEqual([8080, 8090]);
  });

  it('uses component type tokens and names derived from the platform component', () => {
    const components = run.resources.filter((r) => r.type.startsWith('desa:')).map((r) => `${r.type} ${r.name}`).sort();
    expect(components).toEqual([
      'desa:platform:Certificates platform-tls',
      'desa:platform:Dns platform-dns',
      'desa:platform:Files platform-files',
      'desa:platform:Ingress platform-ingress',
      'desa:platform:Mail platform-mail',
      'desa:platform:Platform platform',
      'desa:platform:Storage platform-storage',
      'desa:platform:Webmail platform-webmail',
    ]);
    for (const r of run.resources.filter((x) => x.type.startsWith('kubernetes:'))) {
      expect(r.name).toMatch(/^platform-/);
      expect(r.provider).toMatch(/pulumi:providers:kubernetes::kubernetes::/);
    }
  });

  it('exports what the desa stacks and operators need, no secrets', async () => {
    expect(await valueOf(outputs.namespace)).toBe('desa-platform');
    expect(outputs).toMatchObject({
      ingressClass: 'traefik',
      ingressNamespace: 'traefik',
      defaultCertificate: 'desa-platform/wildcard-tls',
      wildcardSecret: 'wildcard-tls',
      wildcardDnsNames: ['*.desa.bekasikab.go.id', 'desa.bekasikab.go.id'],
      clusterIssuer: 'letsencrypt-dns01',
      dnsZone: 'desa.bekasikab.go.id',
      mailHost: 'mail.desa.bekasikab.go.id',
      storageEndpoint: 'http://storage.desa-platform.svc.cluster.local:7070',
      webmailUrl: 'https://webmail.desa.bekasikab.go.id/',
      filesUrl: 'https://files.desa.bekasikab.go.id/',
      modes: { ingress: 'deploy', certManager: 'deploy', dns: 'deploy', mail: 'deploy', storage: 'deploy', webmail: 'deploy', files: 'deploy' },
    });
    for (const [key, value] of Object.entries(outputs)) {
      if (pulumi.Output.isInstance(value)) expect(await pulumi.isSecret(value), key).toBe(false);
    }
  });
});
