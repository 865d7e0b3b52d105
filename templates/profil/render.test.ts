import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../core/inventory/load.ts';
import type { Unit } from '../../core/inventory/model.ts';
import { escapeHtml, humanSize, renderProfil, roleLabel } from './render.ts';

const { inventory } = loadInventory(new URL('../../desa.yaml', import.meta.url).pathname);
const unit = (slug: string): Unit => structuredClone(inventory.units.find((u) => u.slug === slug)!);
const page = (u: Unit) =>
  renderProfil({ unit: u, kabupaten: inventory.kabupaten, programmes: inventory.programmes.filter((p) => u.programmes.includes(p.id)) });

describe('renderProfil', () => {
  it('describes a desa in Bahasa Indonesia', () => {
    const html = page(unit('sumberjaya'));
    expect(html).toMatch(/^<!doctype html>\n<html lang="id">/);
    expect(html).toContain('<title>Desa Sumberjaya — Kecamatan Tambun Selatan, Kabupaten Bekasi</title>');
    expect(html).toContain('<h1>Desa Sumberjaya</h1>');
    expect(html).toContain('<dt>Kecamatan</dt><dd>Tambun Selatan</dd>');
    expect(html).toContain('<dt>Kode wilayah</dt><dd>32.16.06.2010</dd>');
    expect(html).toContain('<a href="https://sumberjaya.desa.bekasikab.go.id/">sumberjaya.desa.bekasikab.go.id</a>');
    expect(html).toContain('Kepala Desa: <a href="mailto:sumberjaya.kepala-desa@desa.bekasikab.go.id">');
    expect(html).toContain('Surel resmi: aktif (3 kotak surat)');
    expect(html).toContain('Penyimpanan awan: aktif (20 GiB)');
    expect(html).toContain('Situs: Halaman profil');
    expect(html).toContain('<li>Desa Digital 2022 (2022)</li>');
    expect(html).toContain('Dikelola oleh Dinas Komunikasi, Informatika, Persandian dan Statistik');
  });

  it('describes a kelurahan without mailboxes', () => {
    const html = page(unit('setia-asih'));
    expect(html).toContain('<h1>Kelurahan Setia Asih</h1>');
    expect(html).toContain('Surel resmi belum diaktifkan.');
    expect(html).toContain('Surel resmi: belum aktif');
    expect(html).toContain('Penyimpanan awan: belum aktif');
    expect(html).not.toContain('<h2>Program</h2>');
  });

  it('escapes every piece of text from the inventory', () => {
    const u = unit('sumberjaya');
    u.name = '<script>alert("x")</script>';
    u.kecamatan = 'Tambun & "Selatan"';
    u.services.email.accounts[0]!.aliases = [`o'brien@${inventory.kabupaten.domain}`];
    const html = page(u);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('Kecamatan Tambun &amp; &quot;Selatan&quot;');
    expect(html).toContain('o&#39;brien@');
  });

  it('loads nothing from elsewhere: no script, no external stylesheet or image', () => {
    const html = page(unit('sumberjaya'));
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import/i);
  });

  it('is the same for the same unit', () => {
    expect(page(unit('sumberjaya'))).toBe(page(unit('sumberjaya')));
  });
});

describe('helpers', () => {
  it('escapes the five HTML special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('names roles in Bahasa Indonesia', () => {
    expect(roleLabel('sekretaris-kelurahan')).toBe('Sekretaris Kelurahan');
    expect(roleLabel('kaur-keuangan')).toBe('Kaur Keuangan');
  });

  it('writes sizes for people', () => {
    expect(humanSize('2Gi')).toBe('2 GiB');
    expect(humanSize('500Mi')).toBe('500 MiB');
  });
});
