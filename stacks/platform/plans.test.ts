import { describe, expect, it } from 'vitest';
import { parseSettings } from '../settings.ts';
import { caaIssuers, caaRecords, certManagerValues, clusterIssuer, defaultTlsStore, externalDnsValues, mailDnsEndpoint, mailDnsRecords, platformProblems, splitHostPort, traefikValues, wildcardCertificate } from './plans.ts';

const D = 'desa.bekasikab.go.id';
const full = parseSettings({
  tls: { acmeEmail: 'ops@bekasikab.go.id', acmeServer: 'staging' },
  dns: { rfc2136: { nameserver: '10.0.0.53:5353', tsigKeyName: 'desa.', tsigAlgorithm: 'HMACSHA512' } },
});

describe('platformProblems', () => {
  it('accepts a complete configuration', () => {
    expect(platformProblems(full, { tsigSecret: true })).toEqual([]);
  });

  it('asks for the RFC 2136 server and the TSIG key, not for an ACME contact e-mail', () => {
    const problems = platformProblems(parseSettings({}), { tsigSecret: false });
    expect(problems).toEqual([expect.stringContaining('desa:dns.rfc2136'), expect.stringContaining('desa:dnsTsigSecret')]);
    expect(platformProblems(parseSettings({ dns: full.dns }), { tsigSecret: true })).toEqual([]);
  });

  it('needs none of them on a bare control plane with existing DNS', () => {
    expect(platformProblems(parseSettings({ customResources: false, dns: { mode: 'existing' } }), { tsigSecret: false })).toEqual([]);
  });

  it('needs an endpoint for existing storage', () => {
    const s = parseSettings({ customResources: false, dns: { mode: 'existing' }, storage: { mode: 'existing' } });
    expect(platformProblems(s, { tsigSecret: false })).toEqual([expect.stringContaining('desa:storage.endpoint')]);
  });
});

describe('certificates', () => {
  it('is one wildcard certificate for the domain and its apex', () => {
    const c = wildcardCertificate(full, D);
    expect(c.spec.dnsNames).toEqual([`*.${D}`, D]);
    expect(c.spec.secretName).toBe('wildcard-tls');
    expect(c.metadata.namespace).toBe('desa-platform');
  });

  it('issues from Let\'s Encrypt (staging when asked) over DNS-01 for the desa zone only', () => {
    const i = clusterIssuer(full, D, 'tsig');
    expect(i.spec.acme.server).toBe('https://acme-staging-v02.api.letsencrypt.org/directory');
    expect(i.spec.acme.solvers).toEqual([
      {
        selector: { dnsZones: [D] },
        dns01: { rfc2136: { nameserver: '10.0.0.53:5353', tsigKeyName: 'desa.', tsigAlgorithm: 'HMACSHA512', tsigSecretSecretRef: { name: 'tsig', key: 'secret' } } },
      },
    ]);
  });

  it('names a contact only when one is configured', () => {
    expect(clusterIssuer(full, D, 'tsig').spec.acme).toMatchObject({ email: 'ops@bekasikab.go.id' });
    expect(clusterIssuer(parseSettings({ dns: full.dns }), D, 'tsig').spec.acme).not.toHaveProperty('email');
  });

  it('renews by the CA\'s renewal information (ARI) unless turned off, with the controller\'s gate on', () => {
    expect(clusterIssuer(full, D, 'tsig').spec.acme.renewalInformationSource).toBe('ARI');
    expect(certManagerValues(full)).toEqual({ crds: { enabled: true }, featureGates: 'ACMEUseARI=true' });
    const off = parseSettings({ dns: full.dns, tls: { ari: false } });
    expect(clusterIssuer(off, D, 'tsig').spec.acme.renewalInformationSource).toBe('None');
    expect(certManagerValues(off)).toEqual({ crds: { enabled: true } });
  });

  it('points at Let\'s Encrypt production by default', () => {
    expect(clusterIssuer(parseSettings({ dns: full.dns }), D, 'tsig').spec.acme.server).toBe('https://acme-v02.api.letsencrypt.org/directory');
  });

  it('makes the wildcard Traefik\'s default certificate', () => {
    expect(defaultTlsStore(full)).toMatchObject({ kind: 'TLSStore', metadata: { name: 'default', namespace: 'desa-platform' }, spec: { defaultCertificate: { secretName: 'wildcard-tls' } } });
  });
});

describe('chart values', () => {
  it('sends ExternalDNS to the RFC 2136 server with the algorithm it spells', () => {
    const v = externalDnsValues(full, D, 'tsig');
    expect(v.extraArgs).toEqual([
      '--rfc2136-host=10.0.0.53',
      '--rfc2136-port=5353',
      `--rfc2136-zone=${D}`,
      '--rfc2136-tsig-keyname=desa.',
      '--rfc2136-tsig-secret-alg=hmac-sha512',
      '--rfc2136-tsig-axfr',
      '--managed-record-types=A',
      '--managed-record-types=AAAA',
      '--managed-record-types=CNAME',
      '--managed-record-types=MX',
      '--managed-record-types=TXT',
      '--managed-record-types=CAA',
    ]);
  });

  it('hands the mail records to ExternalDNS as a DNSEndpoint, TXT values unquoted and joined', () => {
    const records = mailDnsRecords({ domain: D, mailHost: `mail.${D}`, ttl: 300, dkim: { selector: 'mail', publicKey: 'K'.repeat(400) } });
    const endpoint = mailDnsEndpoint(full, records);
    expect(endpoint.metadata).toMatchObject({ name: 'mail-dns', namespace: 'desa-platform' });
    expect(endpoint.spec.endpoints.slice(0, 3)).toEqual([
      { dnsName: D, recordType: 'MX', recordTTL: 300, targets: [`10 mail.${D}`] },
      { dnsName: D, recordType: 'TXT', recordTTL: 300, targets: ['v=spf1 mx -all'] },
      { dnsName: `_dmarc.${D}`, recordType: 'TXT', recordTTL: 300, targets: ['v=DMARC1; p=quarantine; adkim=s; aspf=s'] },
    ]);
    expect(records[3]!.values[0]!.split('" "')).toHaveLength(2);
    expect(endpoint.spec.endpoints[3]!.targets).toEqual([`v=DKIM1; k=rsa; p=${'K'.repeat(400)}`]);
  });

  it('publishes a CAA record allowing only Let\'s Encrypt by default, the configured CAs otherwise, none for []', () => {
    const caa = (s: ReturnType<typeof parseSettings>) => mailDnsRecords({ domain: D, mailHost: `mail.${D}`, ttl: 300, dkim: null, caa: caaIssuers(s) }).filter((r) => r.type === 'CAA');
    expect(caa(full)).toEqual([{ name: `${D}.`, type: 'CAA', ttl: 300, values: ['0 issue "letsencrypt.org"', '0 issuewild "letsencrypt.org"'] }]);
    expect(caa(parseSettings({ tls: { caa: ['pebble.desa.local'] } }))[0]!.values).toEqual(['0 issue "pebble.desa.local"', '0 issuewild "pebble.desa.local"']);
    expect(caa(parseSettings({ tls: { caa: [] } }))).toEqual([]);
    expect(caaRecords(D, 60, ['a.example', 'b.example'])[0]!.values).toHaveLength(4);
    expect(() => parseSettings({ tls: { caa: ['Lets Encrypt'] } })).toThrow(/desa:tls \(caa.0\): expected a CA's CAA domain name/);
  });

  it('lets ExternalDNS write the CAA record with the mail records', () => {
    const records = mailDnsRecords({ domain: D, mailHost: `mail.${D}`, ttl: 300, dkim: null, caa: ['letsencrypt.org'] });
    expect(mailDnsEndpoint(full, records).spec.endpoints.at(-1)).toEqual({ dnsName: D, recordType: 'CAA', recordTTL: 300, targets: ['0 issue "letsencrypt.org"', '0 issuewild "letsencrypt.org"'] });
    expect(externalDnsValues(full, D, 'tsig').extraArgs).toContain('--managed-record-types=CAA');
  });

  it('turns Traefik\'s CRD provider off with custom resources', () => {
    expect(traefikValues(parseSettings({ customResources: false })).providers.kubernetesCRD.enabled).toBe(false);
  });

  it('splits host and port of a nameserver', () => {
    expect(splitHostPort('ns1.example.id')).toEqual({ host: 'ns1.example.id', port: 53 });
    expect(splitHostPort('[2001:db8::53]:5353')).toEqual({ host: '2001:db8::53', port: 5353 });
  });
});
