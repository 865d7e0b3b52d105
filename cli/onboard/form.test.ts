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
        return { ok: true, headline: `update ${flags.code}`, changes: ['services.site.template: (not set) → opensid'], diff: '--- desa.yaml\n+++ desa.yaml (proposed)\n+        template: opensid\n' };
      },
      onDone: (flags) => done.push(flags),
      ...props,
    }),
  );
  const frame = () => app.lastFrame() ?? '';
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
  return { app, frame, press, waitFor, previews, done };
}

afterEach(() => cleanup());

const indexOfKecamatan = (name: string) => choices.findIndex((k) => k.name === name);

describe('the onboard form', () => {
  it('picks a kecamatan, then a desa marked by whether it is onboarded, then services, contacts and confirm', async () => {
    const f = setup();
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

    await f.waitFor('This will update 32.16.06.2003:');
    expect(f.frame()).toContain('+        template: opensid');
    expect(f.previews.at(-1)).toMatchObject({ code: '32.16.06.2003', storage: false, template: 'opensid', kepalaName: 'Budi' });
    expect(f.done).toEqual([]);
    await f.press(KEY.enter);
    expect(f.done).toHaveLength(1);
    expect(f.done[0]).toMatchObject({ code: '32.16.06.2003', storage: false, template: 'opensid', kepalaName: 'Budi', accounts: 'kepala-desa,sekretaris-desa,operator' });
  });

  it('starts at the services of a desa given with --code, and shows why a change cannot be made', async () => {
    const f = setup({
      initial: { code: '32.16.06.2004' },
      preview: () => ({ ok: false, message: '--storage-quota "20G": expected a size such as 500Mi, 2Gi or 1Ti' }),
    });
    await f.waitFor('Onboard Tambun (32.16.06.2004)');
    await f.press(KEY.down, KEY.down, KEY.down, KEY.down, KEY.backspace, KEY.backspace);
    await f.waitFor('Storage quota: 20▏');
    await f.press('G', KEY.enter, KEY.enter);
    await f.waitFor('expected a size such as 500Mi');
    await f.press(KEY.enter); // Enter does not write an invalid change
    expect(f.done).toEqual([]);
  });

  it('is cancelled with Esc from the first screen, writing nothing', async () => {
    const f = setup();
    await f.waitFor('Kecamatan');
    await f.press(KEY.escape);
    for (let i = 0; i < 100 && !f.done.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(f.done).toEqual([undefined]);
  });

  it('asks code, name and decree for a new code, inside the chosen kecamatan', async () => {
    const f = setup();
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
