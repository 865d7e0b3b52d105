import { fileURLToPath } from 'node:url';
import { render } from 'ink-testing-library';
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { loadInventory } from '../../core/inventory/load.ts';
import { currentValues, kecamatanChoices } from './choices.ts';
import { OnboardForm, type OnboardFormProps } from './form.ts';
import type { OnboardFlags } from './request.ts';

const loaded = loadInventory(fileURLToPath(new URL('../../desa.yaml', import.meta.url)));
// As if Lambangjaya (32.16.06.2003) had not been onboarded yet.
const choices = kecamatanChoices({
  ...loaded,
  inventory: { ...loaded.inventory, units: loaded.inventory.units.filter((u) => u.code !== '32.16.06.2003') },
});

const KEY = { down: '\u001B[B', up: '\u001B[A', right: '\u001B[C', enter: '\r', escape: '\u001B', space: ' ', backspace: '\u007F' };

function setup(props: Partial<OnboardFormProps> = {}) {
  const previews: OnboardFlags[] = [];
  const done: (OnboardFlags | undefined)[] = [];
  const app = render(
    React.createElement(OnboardForm, {
      kecamatan: choices,
      valuesFor: (code, kind) => currentValues(loaded, code, kind),
      preview: (flags) => {
        previews.push(flags);
        return { ok: true, action: 'update', who: flags.code!, file: 'desa.yaml', slug: 'x', changes: ['services.site.template: (not set) → opensid'], diff: '--- desa.yaml\n+++ desa.yaml (proposed)\n+        template: opensid\n' };
      },
      onDone: (flags) => done.push(flags),
      ...props,
    }),
  );
  const frame = () => app.lastFrame() ?? '';
  /** Sends `text` in one write, as a fast typist, a held key or a paste does, and waits for it to show. */
  const burst = async (text: string) => {
    const before = app.frames.length;
    app.stdin.write(text);
    for (let i = 0; i < 100 && app.frames.length === before; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 30));
  };
  /** Sends keys one at a time, waiting for each to be handled. */
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      const before = app.frames.length;
      app.stdin.write(k);
      for (let i = 0; i < 100 && app.frames.length === before; i++) await new Promise((r) => setTimeout(r, 10));
    }
  };
  const waitFor = async (text: string) => {
    for (let i = 0; i < 200 && !frame().includes(text); i++) await new Promise((r) => setTimeout(r, 10));
    expect(frame()).toContain(text);
  };
  return { app, frame, press, burst, waitFor, previews, done };
}

afterEach(() => cleanup());

const indexOfKecamatan = (name: string) => choices.findIndex((k) => k.name === name);

describe('the onboard form', () => {
  it('picks a kecamatan, then a desa marked by whether it is onboarded, then services, contacts and confirm', async () => {
    const f = setup({ lang: 'en' });
    await f.waitFor('Kecamatan');
    await f.press(...Array(indexOfKecamatan('Tambun Selatan')).fill(KEY.down));
    await f.waitFor('› Tambun Selatan');
    await f.press(KEY.enter);
    await f.waitFor('Desa and kelurahan of Tambun Selatan');
    expect(f.frame()).toMatch(/Lambangsari \(desa\)\s+32\.16\.06\.2002 ✔ onboarded/);
    expect(f.frame()).toMatch(/Lambangjaya \(desa\)\s+32\.16\.06\.2003 \+ not in desa\.yaml/);

    // Jatimulya (kelurahan), Lambangsari, Lambangjaya: the third.
    await f.press(KEY.down, KEY.down, KEY.enter);
    await f.waitFor('Onboard Lambangjaya (32.16.06.2003)');
    expect(f.frame()).toContain('Mailboxes (roles, comma-separated): kepala-desa,sekretaris-desa,operator');

    // Storage off (4th field), template profil → opensid (7th field).
    await f.press(KEY.down, KEY.down, KEY.down, KEY.space);
    await f.waitFor('Storage: [ ] off');
    await f.press(KEY.down, KEY.down, KEY.down, KEY.right);
    await f.waitFor('Site template: ‹ opensid ›');
    await f.press(KEY.enter);

    await f.waitFor('Contacts');
    await f.press(...'Budi'.split(''));
    await f.waitFor('Kepala desa: name: Budi');
    await f.press(KEY.enter);

    await f.waitFor('This will update 32.16.06.2003 in desa.yaml:');
    expect(f.frame()).toContain('+        template: opensid');
    expect(f.previews.at(-1)).toMatchObject({ code: '32.16.06.2003', storage: false, template: 'opensid', kepalaName: 'Budi' });
    expect(f.done).toEqual([]);
    await f.press(KEY.enter);
    expect(f.done).toHaveLength(1);
    expect(f.done[0]).toMatchObject({ code: '32.16.06.2003', storage: false, template: 'opensid', kepalaName: 'Budi', accounts: 'kepala-desa,sekretaris-desa,operator' });
  });

  it('starts at the services of a desa given with --code, and shows why a change cannot be made', async () => {
    const f = setup({
      lang: 'en',
      initial: { code: '32.16.06.2004' },
      preview: () => ({ ok: false, message: 'the slug tambun is already used by 32.16.06.2099' }),
    });
    await f.waitFor('Onboard Tambun (32.16.06.2004)');
    await f.press(KEY.enter, KEY.enter);
    await f.waitFor('the slug tambun is already used');
    await f.press(KEY.enter); // Enter does not write an invalid change
    expect(f.done).toEqual([]);
  });

  it('speaks Bahasa Indonesia unless asked for English', async () => {
    const f = setup({ initial: { code: '32.16.06.2004' } });
    await f.waitFor('Daftarkan Tambun (32.16.06.2004)');
    expect(f.frame()).toContain('Layanan (↑↓ pindah, ketik untuk mengubah');
    expect(f.frame()).toContain('Kotak surat (jabatan, dipisah koma): kepala-desa,sekretaris-desa,operator');
    expect(f.frame()).toContain('Penyimpanan: [x] aktif');
    await f.press(KEY.enter);
    await f.waitFor('Kontak');
    expect(f.frame()).toContain('Kepala desa: telepon');
  });

  it('deletes as many characters as Backspaces arrive at once, and keeps every typed character', async () => {
    const f = setup({ initial: { code: '32.16.06.2004' } });
    await f.waitFor('Kuota penyimpanan: 20Gi');
    await f.press(KEY.down, KEY.down, KEY.down, KEY.down);
    await f.waitFor('Kuota penyimpanan: 20Gi▏');
    await f.burst(KEY.backspace.repeat(3));
    await f.waitFor('Kuota penyimpanan: 2▏');
    await f.burst('5Gi');
    await f.waitFor('Kuota penyimpanan: 25Gi▏');
  });

  it('checks each field as it is left, in the words of the form, and shows every problem of the page at once', async () => {
    const f = setup({ initial: { code: '32.16.06.2004' } });
    await f.waitFor('Kuota kotak surat: 2Gi');
    await f.press(KEY.down, KEY.down);
    await f.burst(KEY.backspace.repeat(3));
    await f.burst('5 GB');
    await f.waitFor('Kuota kotak surat: 5 GB▏');
    expect(f.frame()).not.toContain('✘');
    await f.press(KEY.down); // leaving the field checks it
    await f.waitFor('✘ Kuota kotak surat "5 GB": tulis ukuran seperti 500Mi, 2Gi atau 1Ti; maksudnya 5Gi?');
    await f.press(KEY.down);
    await f.burst(`${KEY.backspace.repeat(4)}banyak`);
    await f.press(KEY.enter); // Enter checks the whole page and stays on it
    await f.waitFor('Perbaiki dulu 2 isian yang ditandai ✘');
    expect(f.frame()).toContain('✘ Kuota penyimpanan "banyak": tulis ukuran');
    expect(f.frame()).toContain('✘ Kuota kotak surat "5 GB"');
    expect(f.frame()).not.toMatch(/--[a-z]+-quota/);
    expect(f.frame()).not.toContain('Kontak');
    // Fixed, the mark goes as the field is left, and Enter goes on.
    await f.press(KEY.up, KEY.up);
    await f.burst(`${KEY.backspace.repeat(4)}5Gi`);
    await f.press(KEY.down, KEY.down);
    await f.waitFor('Kuota kotak surat: 5Gi\n');
    await f.burst(`${KEY.backspace.repeat(6)}30Gi`);
    await f.press(KEY.up);
    await f.waitFor('Kuota penyimpanan: 30Gi');
    expect(f.frame()).not.toContain('✘');
    await f.press(KEY.enter);
    await f.waitFor('Kontak');
    await f.press(KEY.down);
    await f.burst('0812');
    await f.press(KEY.down);
    await f.waitFor('✘ Kepala desa: telepon "0812": tulis nomor telepon seperti +62 812 3456 7890');
  });

  it('says the same in English with lang en', async () => {
    const f = setup({ lang: 'en', initial: { code: '32.16.06.2004' } });
    await f.waitFor('Mailbox quota: 2Gi');
    await f.press(KEY.down, KEY.down);
    await f.burst(`${KEY.backspace.repeat(3)}5 GB`);
    await f.press(KEY.down);
    await f.waitFor('✘ Mailbox quota "5 GB": write a size such as 500Mi, 2Gi or 1Ti; did you mean 5Gi?');
  });

  it('is cancelled with Esc from the first screen, writing nothing', async () => {
    const f = setup();
    await f.waitFor('Kecamatan');
    await f.press(KEY.escape);
    for (let i = 0; i < 100 && !f.done.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(f.done).toEqual([undefined]);
  });

  it('asks code, name and decree for a new code, inside the chosen kecamatan', async () => {
    const f = setup({ lang: 'en' });
    await f.waitFor('Kecamatan');
    await f.press(...Array(indexOfKecamatan('Tambun Selatan')).fill(KEY.down), KEY.enter);
    await f.waitFor('+ a new code, from a newer decree');
    const units = choices[indexOfKecamatan('Tambun Selatan')]!.units.length;
    await f.press(...Array(units).fill(KEY.down), KEY.enter);
    await f.waitFor('Code: 32.16.06.');
    await f.press(...'2099'.split(''), KEY.down, ...'Lambang Baru'.split(''), KEY.down, ...'Perda 1/2026'.split(''), KEY.enter);
    await f.waitFor('Onboard Lambang Baru (32.16.06.2099)');
    await f.press(KEY.enter, KEY.enter);
    await f.waitFor('This will');
    expect(f.previews.at(-1)).toMatchObject({ code: '32.16.06.2099', name: 'Lambang Baru', source: 'Perda 1/2026', kecamatan: 'Tambun Selatan' });
  });
});
