import { describe, expect, it } from 'vitest';
import { loadInventory } from '../core/inventory/load.ts';
import { identityLabels, LABEL_VALUE, labelValue, nameLabel, namespaceAnnotations, namespaceLabels } from './labels.ts';
import { INVENTORY } from '../test/fixtures/pulumi-mocks.ts';

const { inventory } = loadInventory(INVENTORY);
const D = inventory.kabupaten.domain;

describe('label values', () => {
  it('keeps official codes as they are', () => {
    expect(labelValue('32.16.06.2002')).toBe('32.16.06.2002');
    expect(labelValue('32.16.06')).toBe('32.16.06');
  });

  it('turns names into lower-case kebab', () => {
    expect(nameLabel('Tambun Selatan')).toBe('tambun-selatan');
    expect(nameLabel('Tarumajaya')).toBe('tarumajaya');
    expect(nameLabel("Ci'Kar ang  Barat")).toBe('cikar-ang-barat');
    expect(nameLabel('Kedungwaringin (lama)')).toBe('kedungwaringin-lama');
  });

  it('keeps them within 63 characters and ending alphanumeric', () => {
    const long = nameLabel('Desa '.repeat(20));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(LABEL_VALUE);
    expect(labelValue('not a code!')).toBe('not-a-code');
  });

  it('makes every label of every unit of desa.yaml valid', () => {
    const key = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
    for (const u of inventory.units) {
      for (const [k, v] of Object.entries(namespaceLabels(u, D, 'restricted'))) {
        expect(k, k).toMatch(key);
        expect(k.split('/').pop()!.length).toBeLessThanOrEqual(63);
        expect(v, `${u.slug} ${k}`).toMatch(LABEL_VALUE);
        expect(v.length).toBeLessThanOrEqual(63);
      }
    }
  });
});

describe('namespace labels', () => {
  const sumberjaya = inventory.units.find((u) => u.slug === 'sumberjaya')!;

  it('carry identity, kind, kecamatan, template and programmes', () => {
    expect(namespaceLabels(sumberjaya, D, 'restricted')).toEqual({
      'app.kubernetes.io/part-of': 'desa',
      'app.kubernetes.io/managed-by': 'pulumi',
      [`${D}/slug`]: 'sumberjaya',
      [`${D}/code`]: '32.16.06.2010',
      [`${D}/kind`]: 'desa',
      [`${D}/kecamatan`]: 'tambun-selatan',
      [`${D}/kecamatan-code`]: '32.16.06',
      [`${D}/site-template`]: 'profil',
      [`${D}/programme.desa-digital-2022`]: 'true',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  it('keep the names as written in annotations', () => {
    expect(namespaceAnnotations(sumberjaya, D)).toEqual({
      [`${D}/name`]: 'Sumberjaya',
      [`${D}/kecamatan-name`]: 'Tambun Selatan',
      [`${D}/host`]: 'sumberjaya.desa.bekasikab.go.id',
    });
  });

  it('identify one desa with slug and code only', () => {
    expect(Object.keys(identityLabels(sumberjaya, D)).sort()).toEqual([
      'app.kubernetes.io/managed-by',
      'app.kubernetes.io/part-of',
      `${D}/code`,
      `${D}/slug`,
    ]);
  });
});
