// The credential sheet handed over to a desa: one self-contained HTML page (inline CSS, system fonts,
// no scripts, nothing to fetch, a CSP that forbids fetching), printable on A4, Bahasa Indonesia first.
// Pure: data in, text out. Every value is escaped; no value is placed in an attribute or a link.
import type { Kind } from '../../core/inventory/schema.ts';
import { esc } from '../report/html-charts.ts';
import { CSS, htmlPage } from '../report/html-style.ts';
import { formatMoment, formatQuota, officeName, roleLabel, SHEET_TEXT, zoneOf, type SheetLang, type SheetText } from './sheet-text.ts';

export interface SheetMailbox {
  /** The role as desa.yaml names it: kepala-desa, sekretaris-desa, operator, … */
  role: string;
  address: string;
  password: string;
  /** Its quota as desa.yaml gives it (2Gi), which the stack applied. */
  quota: string;
}

/** Everything the sheet shows, as plain values: built by gather.ts from desa.yaml and the stacks. */
export interface SheetData {
  unit: { name: string; kind: Kind; code: string; kecamatan: string; slug: string };
  kabupaten: { name: string; operator: string };
  /** null: the unit has no mailboxes. `webmail`: the address of webmail (https://webmail.<domain>/). */
  mail: { host: string; webmail: string; mailboxes: SheetMailbox[] } | null;
  /** null: the unit has no storage. */
  storage: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string; quota: string } | null;
  /**
   * The desa's file space (SFTPGo), when its stack generated its passwords (absent or null otherwise):
   * the web address, the WebDAV address Windows Explorer maps, the login and the desa admin's.
   */
  files?: { url: string; dav: string; login: string; password: string; adminLogin: string; adminPassword: string; quota: string } | null;
  /** null: nothing is served at the unit's subdomain. `template`: profil, opensid or external. */
  site: { url: string; template: string } | null;
  /** OpenSID's administrator login, for a desa on OpenSID (absent or null otherwise). */
  opensid?: { url: string; username: string; password: string } | null;
  /** The stack the secrets were read from, and when it last changed (ISO 8601), for the footer. */
  stack: { name: string; lastUpdate: string | null };
}

export interface SheetOptions {
  generatedAt: Date;
  lang?: SheetLang;
}

/** The ports of the platform's mail service (stacks/platform/mail.ts): IMAPS, SMTP submissions, submission. */
export const IMAP_PORT = 993;
export const SUBMISSIONS_PORT = 465;
export const SUBMISSION_PORT = 587;

const SHEET_CSS = `
main { max-width: 820px; }
.confidential { border: 2px solid var(--bad); border-radius: 6px; padding: 6px 12px; margin: 10px 0 4px; color: var(--bad); }
.confidential strong { letter-spacing: 0.08em; margin-right: 8px; }
.accounts { display: grid; grid-template-columns: 1fr; gap: 8px; }
.account { border: 1.5px dashed #8a949e; border-radius: 6px; padding: 6px 12px; }
.account h3 { color: var(--accent); } .account h3 .quota { color: var(--muted); font-weight: 400; font-size: 13px; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 6px 0; }
dl.kv dt { color: var(--muted); font-size: 13px; padding-top: 2px; }
dl.kv dd { margin: 0; overflow-wrap: anywhere; }
.mono, .secret { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; }
.secret { display: inline-block; border: 1px solid var(--ink); border-radius: 4px; padding: 3px 8px; font-size: 17px; background: #f7f8f9; letter-spacing: 0.04em; white-space: nowrap; }
.secret span { margin-right: 0.5em; } .secret span:last-child { margin-right: 0; }
.secret b { font-weight: 800; color: var(--accent); }
.not-provided { color: var(--muted); font-style: italic; }
ol.steps, ul.rules { margin: 4px 0; padding-left: 22px; } ol.steps li, ul.rules li { margin: 3px 0; }
.rules-box { border-left: 6px solid var(--warn); background: #fff8e6; padding: 6px 14px; border-radius: 4px; }
.handover { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
.party h3 { margin-bottom: 2px; } .party .note { margin: 0 0 8px; }
.line { display: flex; align-items: flex-end; gap: 8px; margin: 10px 0 0; }
.line span { min-width: 88px; color: var(--muted); font-size: 13px; }
.line i { flex: 1; border-bottom: 1px solid var(--ink); height: 1.2em; }
.line.tall i { height: 3.5em; }
@media (max-width: 700px) { .handover { grid-template-columns: 1fr; } .secret { white-space: normal; } }
@media print {
  .secret { font-size: 12.5pt; }
  h2 { margin-top: 12pt; } footer { margin-top: 12pt; }
  .account, .handover, .rules-box, dl.kv, .keep { break-inside: avoid; }
  section { break-inside: auto; }
  /* The safety rules and the handover are printed together, so the box to sign never stands alone. */
  .closing { break-inside: avoid; }
}
`;

/** A secret in a box, in groups of 4 (spacing is CSS, not text), digits in bold: copies and reads as it is. */
function secretBox(value: string): string {
  const groups = value.match(/.{1,4}/gsu) ?? [];
  const digitsBold = (g: string) => (g.match(/[0-9]+|[^0-9]+/g) ?? []).map((r) => (/^[0-9]/.test(r) ? `<b>${r}</b>` : esc(r))).join('');
  return `<span class="secret">${groups.map((g) => `<span>${digitsBold(g)}</span>`).join('')}</span>`;
}

const kv = (rows: [string, string][]) => `<dl class="kv">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
const mono = (v: string) => `<span class="mono">${esc(v)}</span>`;
const section = (id: string, title: string, body: string) => `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`;

const hostOf = (endpoint: string) => /^[a-z][a-z0-9+.-]*:\/\/([^/:]+)/i.exec(endpoint)?.[1] ?? endpoint.split(/[/:]/)[0] ?? '';

/** A loopback address: the local test servers of the embedded default (desa cluster up). */
export function isLoopbackEndpoint(endpoint: string): boolean {
  const host = hostOf(endpoint);
  return host === 'localhost' || /^127\./.test(host);
}

/** Hosts a person at the desa office cannot reach: in-cluster Service names and loopback. */
export function isInternalEndpoint(endpoint: string): boolean {
  return /\.svc(\.cluster\.local)?$/.test(hostOf(endpoint)) || isLoopbackEndpoint(endpoint);
}

/** Passwords generated since the unambiguous alphabet of stacks/secrets.ts (PASSWORD_ALPHABET); older ones are kept as they were. */
const CURRENT_ALPHABET = /^[2-9a-hjkmnp-z]+$/;

export function renderCredentialSheet(data: SheetData, opts: SheetOptions): string {
  const lang = opts.lang ?? 'id';
  const t = SHEET_TEXT[lang];
  const unitName = `${t.kind[data.unit.kind]} ${data.unit.name}`;
  const title = t.title(t.kind[data.unit.kind], data.unit.name);
  const office = officeName(data.kabupaten.operator);
  const zone = zoneOf(data.unit.code);
  const notProvided = (service: string) => `<p class="not-provided">${esc(t.notProvided(service, unitName))} ${esc(t.askOperator(office))}</p>`;
  const body = [
    `<header><h1>${esc(title)}</h1>` +
      `<p class="meta">${esc(t.kecamatan)} ${esc(data.unit.kecamatan)} · ${esc(t.code)} ${esc(data.unit.code)} · ${esc(data.kabupaten.name)}</p>` +
      `<p class="meta">${esc(t.generated(formatMoment(opts.generatedAt, lang, zone)))} ${esc(t.by)} ${esc(data.kabupaten.operator)}</p></header>`,
    `<p class="confidential" id="rahasia"><strong>${esc(t.confidential)}</strong>${esc(t.confidentialLine)}</p>`,
    section('surel', t.mail, data.mail ? mail(data.mail, t, lang, lookAlikeNote(data, t)) : notProvided(t.mail)),
    ...(data.mail ? [section('pengaturan-surel', t.mailSettings, webmail(data.mail, t) + mailSettings(data.mail, t))] : []),
    section('penyimpanan', t.storage, data.storage ? storage(data.storage, t, office) : notProvided(t.storage)),
    ...(data.files ? [section('berkas', t.files, files(data.files, t))] : []),
    section('situs', t.site, (data.site ? kv([[t.siteAddress, mono(data.site.url)], [t.siteKind, esc(t.template[data.site.template] ?? data.site.template)]]) : notProvided(t.site)) + (data.opensid ? opensid(data.opensid, t) : '')),
    `<div class="closing">${section('keamanan', t.securityTitle, `<div class="rules-box"><ul class="rules">${t.securityItems(office).map((i) => `<li>${esc(i)}</li>`).join('')}</ul></div>`)}${section('serah-terima', t.handover, handover(data, t, unitName))}</div>`,
    `<footer>${esc(t.footer(data.stack.name, data.stack.lastUpdate ? formatMoment(new Date(data.stack.lastUpdate), lang, zone) : null))}</footer>`,
  ].join('\n');
  return htmlPage({ lang, title, css: CSS + SHEET_CSS, body, noindex: true });
}

/** How to read the passwords: the current alphabet's rule when every secret on the sheet uses it. */
function lookAlikeNote(data: SheetData, t: SheetText): string {
  const secrets = [...(data.mail?.mailboxes.map((b) => b.password) ?? []), ...(data.storage ? [data.storage.secretAccessKey] : []), ...(data.files ? [data.files.password, data.files.adminPassword] : [])];
  return secrets.every((s) => CURRENT_ALPHABET.test(s)) ? t.alphabet : t.lookAlike;
}

function mail(m: NonNullable<SheetData['mail']>, t: SheetText, lang: SheetLang, note: string): string {
  const accounts = m.mailboxes.map(
    (b) =>
      `<article class="account"><h3>${esc(roleLabel(b.role, lang))} <span class="quota">· ${esc(t.mailboxQuota(formatQuota(b.quota)))}</span></h3>` +
      `${kv([[t.address, mono(b.address)], [t.password, secretBox(b.password)]])}</article>`,
  );
  return `<p>${esc(t.mailIntro)}</p><p class="note">${esc(t.cutNote)}</p><div class="accounts">${accounts.join('')}</div><p class="note">${esc(note)}</p>`;
}

/** Webmail's address and login: the full address or the short `<slug>.<role>` (the first mailbox's), with its password. */
function webmail(m: NonNullable<SheetData['mail']>, t: SheetText): string {
  const short = m.mailboxes[0]?.address.split('@')[0];
  return `<p id="webmail"><strong>${esc(t.webmail)}</strong> ${mono(m.webmail)} ${esc(t.webmailUser)} ${short ? mono(short) : ''} ${esc(t.webmailPassword)}</p>`;
}

function mailSettings(m: NonNullable<SheetData['mail']>, t: SheetText): string {
  const head = [t.server, t.port, t.security];
  const rows = [
    [t.incoming, mono(m.host), String(IMAP_PORT), 'SSL/TLS'],
    [t.outgoing, mono(m.host), String(SUBMISSIONS_PORT), 'SSL/TLS'],
    [t.outgoingAlt, mono(m.host), String(SUBMISSION_PORT), 'STARTTLS'],
  ];
  const example = m.mailboxes[0]?.address;
  return (
    `<table class="narrow"><thead><tr><th></th>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map(([what, ...cells]) => `<tr><th>${esc(what!)}</th>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('') +
    `</tbody></table>` +
    `<p>${esc(t.userName)}: ${esc(t.userNameValue)} ${example ? mono(example) : ''}</p><p class="note">${esc(t.mailApps)}</p>`
  );
}

function storage(s: NonNullable<SheetData['storage']>, t: SheetText, office: string): string {
  // The address as the platform gives it: a local test address says so; a configured one is shown as it is.
  const where = isLoopbackEndpoint(s.endpoint) ? t.localEndpoint(office) : isInternalEndpoint(s.endpoint) ? t.internalEndpoint(office) : null;
  return (
    `<div class="keep"><p>${esc(t.storageIntro)}</p>` +
    kv([
      [t.endpoint, mono(s.endpoint)],
      [t.bucket, mono(s.bucket)],
      [t.quota, esc(formatQuota(s.quota))],
      [t.accessKeyId, mono(s.accessKeyId)],
      [t.secretAccessKey, secretBox(s.secretAccessKey)],
    ]) +
    '</div>' +
    (where ? `<p class="note">${esc(where)}</p>` : '') +
    `<h3>${esc(t.howToConnect)}</h3><ol class="steps">${t.storageSteps(s.bucket).map((x) => `<li>${esc(x)}</li>`).join('')}</ol>`
  );
}

/** The file space: in the browser, and as a network drive in Windows Explorer (WebDAV); the desa's admin. */
function files(f: NonNullable<SheetData['files']>, t: SheetText): string {
  return (
    `<div class="keep"><p>${esc(t.filesIntro)}</p>` +
    kv([
      [t.filesAddress, mono(f.url)],
      [t.userName, mono(f.login)],
      [t.password, secretBox(f.password)],
      [t.quota, esc(formatQuota(f.quota))],
      [t.filesDrive, mono(f.dav)],
    ]) +
    '</div>' +
    `<h3>${esc(t.filesWindows)}</h3><ol class="steps">${t.filesWindowsSteps(f.dav, f.login).map((x) => `<li>${esc(x)}</li>`).join('')}</ol>` +
    `<article class="account" id="berkas-admin"><h3>${esc(t.filesAdmin)}</h3><p class="note">${esc(t.filesAdminIntro(`${f.url.replace(/\/$/, '')}/web/admin`))}</p>` +
    kv([
      [t.userName, mono(f.adminLogin)],
      [t.password, secretBox(f.adminPassword)],
    ]) +
    '</article>'
  );
}

/** A password with its own separators (OpenSID's: Abcd-efgh-2345-wxyz): shown in its groups, the hyphens kept, digits in bold. */
function dashedSecretBox(value: string): string {
  const digitsBold = (g: string) => (g.match(/[0-9]+|[^0-9]+/g) ?? []).map((r) => (/^[0-9]/.test(r) ? `<b>${r}</b>` : esc(r))).join('');
  return `<span class="secret">${value.split('-').map((g, i, all) => `<span>${digitsBold(g)}${i < all.length - 1 ? '-' : ''}</span>`).join('')}</span>`;
}

function opensid(o: NonNullable<SheetData['opensid']>, t: SheetText): string {
  return (
    `<article class="account" id="opensid"><h3>${esc(t.opensidAdmin)}</h3><p class="note">${esc(t.opensidIntro)}</p>` +
    kv([
      [t.opensidLogin, mono(o.url)],
      [t.userName, mono(o.username)],
      [t.password, dashedSecretBox(o.password)],
    ]) +
    `<p class="note">${esc(t.opensidPassword)}</p></article>`
  );
}

function handover(data: SheetData, t: SheetText, unitName: string): string {
  const line = (label: string, tall = false) => `<p class="line${tall ? ' tall' : ''}"><span>${esc(label)}</span><i></i></p>`;
  const party = (head: string, who: string) =>
    `<div class="party"><h3>${esc(head)}</h3><p class="note">${esc(who)}</p>${line(t.name)}${line(t.position)}${line(t.signature, true)}${line(t.date)}</div>`;
  return `<div class="handover">${party(t.handedBy, data.kabupaten.operator)}${party(t.receivedBy, `${unitName}, ${t.kecamatan} ${data.unit.kecamatan}`)}</div>`;
}
