// Setia Asih (32.16.01.1007): a kelurahan. Kelurahan get no mailboxes or storage unless their entry asks
// (desa.yaml defaults), but do get a subdomain and a profile page.
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { installMocks, PLATFORM_CONFIG, valueOf } from '../../test/fixtures/pulumi-mocks.ts';

const run = installMocks('setia-asih', PLATFORM_CONFIG, ['desa:dnsTsigSecret']);
const { default: main } = await import('../index.ts');
const P = 'desa.bekasikab.go.id';

let outputs: Record<string, any>;
beforeAll(async () => {
  outputs = await main();
  await run.settle();
});

describe('Setia Asih kelurahan stack', () => {
  it('labels the namespace as a kelurahan of Tarumajaya, in no programme', () => {
    const ns = run.one('kubernetes:core/v1:Namespace', 'desa-setia-asih');
    const labels = ns.inputs.metadata.labels;
    expect(labels).toMatchObject({
      [`${P}/code`]: '32.16.01.1007',
      [`${P}/kind`]: 'kelurahan',
      [`${P}/kecamatan`]: 'tarumajaya',
      [`${P}/kecamatan-code`]: '32.16.01',
      [`${P}/slug`]: 'setia-asih',
    });
    expect(Object.keys(labels).filter((k) => k.includes('/programme.'))).toEqual([]);
  });

  it('creates no mailbox or bucket Secret', () => {
    expect(run.ofType('kubernetes:core/v1:Secret')).toHaveLength(0);
    expect(run.resources.filter((r) => r.type === 'desa:desa:Storage')).toHaveLength(0);
  });

  it('serves a profile page that calls it a kelurahan and says mail is not active', () => {
    const html: string = run.one('kubernetes:core/v1:ConfigMap', 'profil-content').inputs.data['index.html'];
    expect(html).toContain('<h1>Kelurahan Setia Asih</h1>');
    expect(html).toContain('Kecamatan Tarumajaya');
    expect(html).toContain('Surel resmi belum diaktifkan.');
    expect(html).not.toContain('mailto:');
    const ingress = run.one('kubernetes:networking.k8s.io/v1:Ingress', 'subdomain');
    expect(ingress.inputs.spec.rules[0].host).toBe('setia-asih.desa.bekasikab.go.id');
  });

  it('exports empty mailboxes and no bucket, credentials still as secrets', async () => {
    expect(outputs.mailboxes).toEqual([]);
    expect(outputs.bucket).toBeNull();
    expect(outputs.url).toBe('https://setia-asih.desa.bekasikab.go.id/');
    expect(await pulumi.isSecret(outputs.mailPasswords)).toBe(true);
    expect(await valueOf(outputs.mailPasswords)).toEqual({});
    expect(await pulumi.isSecret(outputs.storageCredentials)).toBe(true);
    expect(await valueOf(outputs.storageCredentials)).toBeNull();
  });
});
