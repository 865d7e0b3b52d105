import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import { parseSettings, PINS, platformRefs } from './settings.ts';

describe('parseSettings', () => {
  it('fills every default from an empty config', () => {
    const s = parseSettings({});
    expect(s).toMatchObject({
      inventory: 'desa.yaml',
      platformNamespace: 'desa-platform',
      customResources: true,
      ingress: { mode: 'deploy', className: 'traefik', namespace: 'traefik' },
      tls: { certManager: 'deploy', certManagerNamespace: 'cert-manager', acmeServer: 'production', wildcardSecret: 'wildcard-tls' },
      dns: { mode: 'deploy', ttl: 300 },
      mail: { mode: 'deploy', image: PINS.mailImage, size: '50Gi' },
      storage: { mode: 'deploy', image: PINS.storageImage },
      images: { profil: PINS.profilImage, mariadb: PINS.mariadbImage },
    });
    expect(s.images.opensid).toBeUndefined();
  });

  it('keeps defaults inside a partly given object', () => {
    expect(parseSettings({ ingress: { mode: 'existing' } }).ingress).toEqual({ mode: 'existing', className: 'traefik', namespace: 'traefik', publishesStatus: true });
  });

  it('names every wrong key in one RunError', () => {
    let error: Error | undefined;
    try {
      parseSettings({ ingress: { mode: 'helm' }, tls: { acmeEmail: 'not-an-address' }, colour: 'blue' });
    } catch (e) {
      error = e as Error;
    }
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect(error!.message).toContain('desa:ingress (mode)');
    expect(error!.message).toContain('desa:tls (acmeEmail)');
    expect(error!.message).toMatch(/desa: .*colour/);
  });

  it('names the TLS field and what it accepts for a wrong ACME endpoint or ARI switch', () => {
    expect(() => parseSettings({ tls: { acmeServer: 'letsencrypt' } })).toThrow(/desa:tls \(acmeServer\): .*"production"\|"staging"/);
    expect(() => parseSettings({ tls: { ari: 'yes' } })).toThrow(/desa:tls \(ari\): .*boolean/);
    expect(parseSettings({ tls: {} }).tls).toMatchObject({ acmeServer: 'production', ari: true });
    expect(parseSettings({}).tls.acmeEmail).toBeUndefined();
  });
});

describe('platformRefs', () => {
  it('derives what desa stacks need from the shared settings', () => {
    expect(platformRefs(parseSettings({}), 'desa.bekasikab.go.id')).toEqual({
      namespace: 'desa-platform',
      ingress: { className: 'traefik', namespace: 'traefik', publishesStatus: true },
      customResources: true,
      defaultCertificate: 'desa-platform/wildcard-tls',
      dnsTtl: 300,
      mailHost: 'mail.desa.bekasikab.go.id',
    });
  });
});
