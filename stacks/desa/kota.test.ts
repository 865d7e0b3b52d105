// A kelurahan of Kota Bekasi (32.75), from the inventory `desa init` writes for the kota: nothing in the
// stack is Bekasi's (Kabupaten) own. Labels, annotations, mail addresses and the host carry the kota's
// domain; a kota has only kelurahan, and they get mailboxes and storage by default.
import { beforeAll, describe, expect, it } from 'vitest';
import { initInventory } from '../../test/helpers/inventory.ts';
import { installMocks, PLATFORM_CONFIG } from '../../test/fixtures/pulumi-mocks.ts';

const DOMAIN = 'kelurahan.bekasikota.go.id';
const { file } = await initInventory('Kota Bekasi', { domain: DOMAIN, operator: 'Dinas Komunikasi dan Informatika Kota Bekasi' });
const run = installMocks(
  'margahayu',
  {
    ...PLATFORM_CONFIG,
    'desa:inventory': file,
    'desa:tls': JSON.stringify({ acmeEmail: 'diskominfo@bekasikota.go.id' }),
    'desa:dns': JSON.stringify({ rfc2136: { nameserver: 'ns1.bekasikota.go.id:53', tsigKeyName: 'desa-platform.' } }),
  },
  ['desa:dnsTsigSecret'],
);
const { default: main } = await import('../index.ts');

let outputs: Record<string, any>;
beforeAll(async () => {
  outputs = await main();
  await run.settle();
});

describe('a kelurahan stack of Kota Bekasi', () => {
  it("labels and annotates the namespace under the kota's domain", () => {
    const ns = run.one('kubernetes:core/v1:Namespace', 'desa-margahayu');
    expect(ns.inputs.metadata.labels).toMatchObject({
      [`${DOMAIN}/code`]: '32.75.01.1002',
      [`${DOMAIN}/kind`]: 'kelurahan',
      [`${DOMAIN}/kecamatan`]: 'bekasi-timur',
      [`${DOMAIN}/slug`]: 'margahayu',
    });
    expect(ns.inputs.metadata.annotations).toMatchObject({ [`${DOMAIN}/host`]: `margahayu.${DOMAIN}` });
  });

  it('gives the kelurahan its mailboxes and bucket at the kota domain', () => {
    expect(outputs.mailboxes).toEqual([`margahayu.lurah@${DOMAIN}`, `margahayu.sekretaris-kelurahan@${DOMAIN}`, `margahayu.operator@${DOMAIN}`]);
    expect(outputs.bucket).toBe('desa-margahayu');
    expect(outputs.url).toBe(`https://margahayu.${DOMAIN}/`);
  });

  it('serves a profile page that names the kota as a kota', () => {
    const html: string = run.one('kubernetes:core/v1:ConfigMap', 'profil-content').inputs.data['index.html'];
    expect(html).toContain('<dt>Kota</dt><dd>Kota Bekasi</dd>');
    expect(html).toContain('Dikelola oleh Dinas Komunikasi dan Informatika Kota Bekasi.');
  });

  it('carries nothing of Kabupaten Bekasi', () => {
    const everything = JSON.stringify(run.resources.map((r) => r.inputs));
    expect(everything).not.toMatch(/bekasikab|32\.16|Kabupaten Bekasi|Diskominfosantik/);
  });
});
