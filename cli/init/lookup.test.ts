import { describe, expect, it } from 'vitest';
import { AbortError } from '../../core/errors.ts';
import { findRegion, lookupRegion } from './lookup.ts';
import { loadNationalList } from './national.ts';

const list = loadNationalList();
const find = (q: string) => findRegion(list, q).code;
function refusal(q: string): AbortError {
  try {
    findRegion(list, q);
  } catch (e) {
    if (e instanceof AbortError) return e;
    throw e;
  }
  throw new Error(`${q} was found`);
}

describe('which kabupaten or kota --kabupaten means', () => {
  it('takes a code with or without the dot, and names as people write them', () => {
    expect(find('32.75')).toBe('32.75');
    expect(find('3216')).toBe('32.16');
    expect(find('Kota Bekasi')).toBe('32.75');
    expect(find('kab. bekasi')).toBe('32.16');
    expect(find('KABUPATEN  BEKASI')).toBe('32.16');
    expect(find('Aceh Utara')).toBe('11.08');
    expect(find('Kepulauan Seribu')).toBe('31.01');
    expect(find('Kota Adm. Jakarta Selatan')).toBe('31.74');
  });

  it('asks which one when a name is both a kabupaten and a kota', () => {
    const e = refusal('Bekasi');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('--kabupaten "Bekasi" fits 2: Kabupaten Bekasi (32.16, Jawa Barat); Kota Bekasi (32.75, Jawa Barat).');
    expect(e.nextStep).toContain('--kabupaten 32.16');
  });

  it('says did you mean for a near miss, and never picks it', () => {
    const e = refusal('Aceh Utra');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('--kabupaten "Aceh Utra": no kabupaten or kota of that name in Kepmendagri 2025.');
    expect(e.nextStep).toBe('Did you mean Kabupaten Aceh Utara (11.08, Aceh)?');
    expect(refusal('Bogr').nextStep).toBe('Did you mean Kabupaten Bogor (32.01, Jawa Barat), or Kota Bogor (32.71, Jawa Barat)?');
    expect(refusal('xyzzy').nextStep).toContain('Pass the code');
  });

  it('explains a provinsi, an unknown code, and the code of a desa', () => {
    expect(refusal('Jawa Barat').message).toContain('is a provinsi');
    expect(refusal('32.99').nextStep).toBe('The codes of Jawa Barat run from 32.01 (Kabupaten Bogor) to 32.79 (Kota Banjar).');
    const desa = refusal('32.16.06.2002');
    expect(desa.message).toContain('that is the code of a desa or kelurahan');
    expect(desa.nextStep).toBe('It lies in Kabupaten Bekasi (32.16, Jawa Barat): pass --kabupaten 32.16.');
    expect(lookupRegion(list, '32.16.06')).toMatchObject({ problem: 'too-deep', level: 'kecamatan' });
  });
});
