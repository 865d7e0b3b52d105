import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { initFieldMessage } from './fields.ts';
import { InitForm, type InitFormProps, type InitFormValues } from './form.ts';
import { INIT_FORM_TEXT } from './form-text.ts';
import { previewInit } from './interactive.ts';
import { loadNationalList, shapeOf } from './national.ts';
import { lookupRegion } from './lookup.ts';
import type { FormLang } from '../onboard/form-text.ts';

const list = loadNationalList();
const KEY = { down: '\u001B[B', up: '\u001B[A', enter: '\r', escape: '\u001B', space: ' ', backspace: '\u007F' };
const EMPTY: InitFormValues = { kabupaten: '', domain: '', operator: '', targetDue: '', targetCoverage: '100', kelurahanServices: false };

function setup(initial: Partial<InitFormValues> = {}, lang: FormLang = 'en') {
  const out = join(mkdtempSync(join(tmpdir(), 'desa-init-form-')), 'desa.yaml');
  const done: (InitFormValues | undefined)[] = [];
  const props: InitFormProps = {
    initial: { ...EMPTY, ...initial },
    kelurahanDefault: (k) => {
      const found = lookupRegion(list, k);
      return 'region' in found ? shapeOf(found.region).desa === 0 : undefined;
    },
    check: (key, value) => initFieldMessage(key, value, INIT_FORM_TEXT[lang], list),
    preview: (values) => previewInit(list, {}, values, out, lang),
    onDone: (v) => done.push(v),
    lang,
    color: false,
  };
  const app = render(React.createElement(InitForm, props));
  // Lines wrap at the test terminal's width: compare with whitespace runs made one space.
  const frame = () => (app.lastFrame() ?? '').replace(/\s+/g, ' ');
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      const before = app.frames.length;
      app.stdin.write(k);
      for (let i = 0; i < 100 && app.frames.length === before; i++) await new Promise((r) => setTimeout(r, 10));
    }
  };
  const type = (text: string) => press(...text.split(''));
  const waitFor = async (text: string) => {
    for (let i = 0; i < 200 && !frame().includes(text); i++) await new Promise((r) => setTimeout(r, 10));
    expect(frame()).toContain(text);
  };
  return { frame, press, type, waitFor, done, out };
}

afterEach(() => cleanup());

describe('the init form', () => {
  it('checks the kabupaten as it is left, with a did-you-mean, then confirms what it would write', async () => {
    const f = setup();
    await f.waitFor('Write desa.yaml for one kabupaten or kota');
    await f.type('Aceh Utra');
    await f.press(KEY.down);
    await f.waitFor('no kabupaten or kota of that name; did you mean Kabupaten Aceh Utara (11.08, Aceh)?');
    await f.press(KEY.up, KEY.backspace, KEY.backspace);
    await f.type('ara');
    await f.press(KEY.down);
    expect(f.frame()).not.toContain('did you mean');
    await f.type('desa.acehutarakab.go.id');
    await f.press(KEY.down);
    await f.type('Diskominfo Aceh Utara');
    await f.press(KEY.down);
    await f.type('2027-13-01');
    await f.press(KEY.down);
    await f.waitFor('write a date such as 2026-12-31');
    await f.press(KEY.enter);
    await f.waitFor('Fix the 1 field(s) marked ✘ first');
    await f.press(KEY.up, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
    await f.type('12-31');
    await f.press(KEY.enter);
    await f.waitFor(`This will write ${f.out} for Kabupaten Aceh Utara (11.08, Aceh):`);
    expect(f.frame()).toContain('852 units (852 desa, 0 kelurahan) in 27 kecamatan, each with a pinned slug');
    expect(f.frame()).toContain('official list (Kepmendagri 2025): data/kepmendagri-2025-aceh-utara.csv');
    expect(f.frame()).toContain('target: Setiap desa terhubung internet paling lambat 31 Desember 2027');
    expect(f.done).toEqual([]);
    await f.press('y');
    expect(f.done).toEqual([{ kabupaten: 'Aceh Utara', domain: 'desa.acehutarakab.go.id', operator: 'Diskominfo Aceh Utara', targetDue: '2027-12-31', targetCoverage: '100', kelurahanServices: false }]);
  });

  it('starts on the first field the flags left empty; the kelurahan switch follows the region until set', async () => {
    const f = setup({ kabupaten: '', operator: 'Diskominfo' });
    await f.waitFor('› Kabupaten/kota');
    await f.type('Kota Bekasi');
    await f.waitFor('Kelurahan get mail and storage too: [x] on');
    const g = setup({ kabupaten: '32.16', operator: 'Diskominfo' });
    await g.waitFor('› Domain');
    expect(g.frame()).toContain('Kabupaten/kota (code or name): 32.16');
  });

  it('speaks Bahasa Indonesia by default, names both Bekasi, and Esc cancels', async () => {
    const f = setup({}, 'id');
    await f.waitFor('Buat desa.yaml untuk satu kabupaten atau kota');
    await f.type('Bekasi');
    await f.press(KEY.down);
    await f.waitFor('cocok dengan 2: Kabupaten Bekasi (32.16, Jawa Barat); Kota Bekasi (32.75, Jawa Barat)');
    await f.press(KEY.escape);
    expect(f.done).toEqual([undefined]);
  });
});
