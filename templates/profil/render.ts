// The village profile page: one static HTML document in Bahasa Indonesia, built only from the
// inventory. Pure: same unit in, same bytes out. Every piece of text is escaped; the page loads
// nothing from elsewhere (inline CSS, no scripts), so it can be served with a strict CSP.
import type { Inventory, Unit } from '../../core/inventory/model.ts';

export interface ProfilPage {
  unit: Unit;
  kabupaten: Pick<Inventory['kabupaten'], 'name' | 'operator' | 'officialSource'>;
  /** Programme names by id, for the programmes the unit takes part in. */
  programmes: Pick<Inventory['programmes'][number], 'id' | 'name' | 'year'>[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const KIND_LABEL = { desa: 'Desa', kelurahan: 'Kelurahan' } as const;

/** Known mailbox roles in Bahasa Indonesia; other roles are title-cased from their id. */
const ROLE_LABEL: Record<string, string> = {
  'kepala-desa': 'Kepala Desa',
  'sekretaris-desa': 'Sekretaris Desa',
  lurah: 'Lurah',
  'sekretaris-kelurahan': 'Sekretaris Kelurahan',
  operator: 'Operator',
  bendahara: 'Bendahara',
};

export function roleLabel(role: string): string {
  return ROLE_LABEL[role] ?? role.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

const TEMPLATE_LABEL = {
  profil: 'Halaman profil',
  opensid: 'OpenSID (Sistem Informasi Desa)',
  external: 'Aplikasi milik desa sendiri',
} as const;

function status(enabled: boolean): string {
  return enabled ? 'aktif' : 'belum aktif';
}

/** A quantity such as 20Gi written for people: "20 GiB". */
export function humanSize(quantity: string): string {
  return quantity.replace(/^(\d+)(Mi|Gi|Ti)$/, (_m, n: string, u: string) => `${n} ${u}B`);
}

function row(term: string, value: string): string {
  return `<dt>${escapeHtml(term)}</dt><dd>${value}</dd>`;
}

export function renderProfil(page: ProfilPage): string {
  const { unit, kabupaten } = page;
  const s = unit.services;
  const kind = KIND_LABEL[unit.kind];
  const title = `${kind} ${unit.name}`;
  const host = s.subdomain.host;

  const identity = [
    row('Nama', escapeHtml(unit.name)),
    row('Jenis', escapeHtml(kind)),
    row('Kecamatan', escapeHtml(unit.kecamatan)),
    row(/^kota\b/i.test(kabupaten.name) ? 'Kota' : 'Kabupaten', escapeHtml(kabupaten.name)),
    row('Kode wilayah', escapeHtml(unit.code)),
    s.subdomain.enabled ? row('Alamat situs', `<a href="https://${escapeHtml(host)}/">${escapeHtml(host)}</a>`) : '',
  ].join('');

  const mailboxes = s.email.enabled
    ? `<ul>${s.email.accounts
        .map((a) => {
          const aliases = a.aliases.length ? ` <small>(juga: ${a.aliases.map(escapeHtml).join(', ')})</small>` : '';
          return `<li>${escapeHtml(roleLabel(a.role))}: <a href="mailto:${escapeHtml(a.address)}">${escapeHtml(a.address)}</a>${aliases}</li>`;
        })
        .join('')}</ul>`
    : '<p>Surel resmi belum diaktifkan.</p>';

  const services = [
    `Surel resmi: ${status(s.email.enabled)}${s.email.enabled ? ` (${s.email.accounts.length} kotak surat)` : ''}`,
    `Penyimpanan awan: ${status(s.storage.enabled)}${s.storage.enabled ? ` (${humanSize(s.storage.quota)})` : ''}`,
    `Subdomain: ${status(s.subdomain.enabled)}`,
    `Situs: ${s.site.enabled ? TEMPLATE_LABEL[s.site.template] : 'belum aktif'}`,
  ];

  const programmes = page.programmes.length
    ? `<section><h2>Program</h2><ul>${page.programmes
        .map((p) => `<li>${escapeHtml(p.name)} (${escapeHtml(String(p.year))})</li>`)
        .join('')}</ul></section>`
    : '';

  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Kecamatan ${escapeHtml(unit.kecamatan)}, ${escapeHtml(kabupaten.name)}</title>
<meta name="description" content="Profil ${escapeHtml(title)}, Kecamatan ${escapeHtml(unit.kecamatan)}, ${escapeHtml(kabupaten.name)}.">
<style>
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa;line-height:1.5}
header,main,footer{max-width:44rem;margin:0 auto;padding:1rem}
header{border-bottom:4px solid #1d6b3a}
h1{margin:.2rem 0;font-size:1.8rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}
dt{font-weight:600}
dd{margin:0}
footer{font-size:.85rem;color:#555}
</style>
</head>
<body>
<header>
<p>${escapeHtml(kabupaten.name)} · Kecamatan ${escapeHtml(unit.kecamatan)}</p>
<h1>${escapeHtml(title)}</h1>
</header>
<main>
<section><h2>Profil</h2><dl>${identity}</dl></section>
<section><h2>Kontak surel resmi</h2>${mailboxes}</section>
<section><h2>Layanan digital</h2><ul>${services.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul></section>
${programmes}
</main>
<footer>
<p>Dikelola oleh ${escapeHtml(kabupaten.operator)}. Kode dan nama wilayah menurut ${escapeHtml(kabupaten.officialSource)}.</p>
</footer>
</body>
</html>
`;
}
