// Test fixtures for the credential sheet: SheetData of a desa and of a kelurahan, and a file backend
// with the checkpoints of provisioned stacks, all with made-up secrets. Used by the tests only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SheetData } from './sheet.ts';

// Made-up secrets in the shape the stacks generated before the unambiguous alphabet (32 characters of
// base64url; such passwords are kept), with digits and look-alikes so that the bold digit runs are
// exercised. Tests of the current shape use stacks/secrets.ts's randomPassword().
export const SUMBERJAYA: SheetData = {
  unit: { name: 'Sumberjaya', kind: 'desa', code: '32.16.06.2005', kecamatan: 'Tambun Selatan', slug: 'sumberjaya' },
  kabupaten: { name: 'Kabupaten Bekasi', operator: 'Diskominfosantik Kabupaten Bekasi' },
  mail: {
    host: 'mail.desa.bekasikab.go.id',
    mailboxes: [
      { role: 'kepala-desa', address: 'sumberjaya.kepala-desa@desa.bekasikab.go.id', password: 'Kd0O1lI-_aaaa2222bbbbccccddddeee', quota: '2Gi' },
      { role: 'sekretaris-desa', address: 'sumberjaya.sekretaris-desa@desa.bekasikab.go.id', password: 'Sd9xQw_Er7tYu-Io5pAs3dFg1hJk0lZx', quota: '2Gi' },
      { role: 'operator', address: 'sumberjaya.operator@desa.bekasikab.go.id', password: 'Op4mN8bV-cX2zL6kJ_hG0fD9sA1qW7eR', quota: '5Gi' },
    ],
  },
  storage: { endpoint: 'https://s3.bekasikab.go.id', bucket: 'desa-sumberjaya', accessKeyId: 'desa-sumberjaya', secretAccessKey: 'Sk1Tz-Ab3Cd5Ef7Gh9Ij0Kl2Mn4Op6Qr', quota: '20Gi' },
  site: { url: 'https://sumberjaya.desa.bekasikab.go.id/', template: 'profil' },
  stack: { name: 'sumberjaya', lastUpdate: '2024-04-08T01:00:00.000Z' },
};

export const SETIA_ASIH: SheetData = {
  ...SUMBERJAYA,
  unit: { name: 'Setia Asih', kind: 'kelurahan', code: '32.16.01.1007', kecamatan: 'Tarumajaya', slug: 'setia-asih' },
  mail: null,
  storage: null,
  site: { url: 'https://setia-asih.desa.bekasikab.go.id/', template: 'profil' },
  stack: { name: 'setia-asih', lastUpdate: null },
};

/** The text a reader sees of an HTML fragment: tags dropped, numeric character references (all `esc` writes) decoded. */
export function text(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
}


// --- a file backend with the checkpoints `desa up` leaves (Pulumi v3.250.0 shape, trimmed) ---------

/** A secret as a checkpoint holds it; the ciphertext is made up (the engine, mocked, "decrypts" it). */
export const secretValue = (ciphertext: string) => ({ '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', ciphertext });

/** A checkpoint of a stack holding a root with `outputs` and, when provisioned, one namespace. */
export function checkpoint(stack: string, outputs: Record<string, unknown>, provisioned = true): string {
  const urn = (type: string, name: string) => `urn:pulumi:${stack}::desa::${type}::${name}`;
  const resources = [
    { urn: urn('pulumi:pulumi:Stack', `desa-${stack}`), custom: false, type: 'pulumi:pulumi:Stack', outputs },
    { urn: urn('pulumi:providers:kubernetes', 'kubernetes'), custom: true, type: 'pulumi:providers:kubernetes', outputs: {} },
    ...(provisioned ? [{ urn: urn('kubernetes:core/v1:Namespace', `${stack}-namespace`), custom: true, type: 'kubernetes:core/v1:Namespace', outputs: {} }] : []),
  ];
  const latest = { manifest: { time: '2026-11-22T21:09:01.907329199Z', magic: 'x', version: 'v3.250.0' }, secrets_providers: { type: 'passphrase', state: { salt: 'v1:x' } }, resources };
  return JSON.stringify({ version: 3, checkpoint: { stack: `organization/desa/${stack}`, latest } });
}

export const PLATFORM_OUTPUTS = {
  namespace: 'desa-platform',
  mailHost: 'mail.desa.bekasikab.go.id',
  mailEndpoint: 'mail.desa-platform.svc.cluster.local',
  storageEndpoint: 'http://storage.desa-platform.svc.cluster.local:9000',
};

/** The outputs of a desa stack as stacks/desa/index.ts registers them, the secrets encrypted. */
export function desaOutputs(slug: string, roles: string[], storage: boolean): Record<string, unknown> {
  return {
    namespace: `desa-${slug}`,
    host: `${slug}.desa.bekasikab.go.id`,
    url: `https://${slug}.desa.bekasikab.go.id/`,
    siteTemplate: 'profil',
    mailboxes: roles.map((r) => `${slug}.${r}@desa.bekasikab.go.id`),
    bucket: storage ? `desa-${slug}` : null,
    mailPasswords: secretValue(`v1:${slug}:passwords`),
    storageCredentials: secretValue(`v1:${slug}:storage`),
  };
}

/** Writes checkpoints into `<stateDir>/state` (the file backend desa reads with DESA_STATE_DIR=stateDir). */
export function writeStacks(stateDir: string, stacks: Record<string, string>): void {
  const dir = join(stateDir, 'state', '.pulumi', 'stacks', 'desa');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(stacks)) writeFileSync(join(dir, `${name}.json`), text);
}
