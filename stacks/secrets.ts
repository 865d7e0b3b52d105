// Generated credentials. Passwords come from the OS CSPRNG and are wrapped as Pulumi secrets the moment
// they exist. They are written to a Secret's `data` (base64) and that key is in `ignoreChanges`, so the
// value chosen at creation is kept: later runs generate a fresh candidate that the engine discards.
// `data`, not `stringData`: the Kubernetes provider folds stringData into data when it checks inputs, so
// the stored inputs only have `data.<key>` for ignoreChanges to keep.
import { randomInt } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';

/**
 * What passwords are made of: people type them from the credential sheet, often on a phone. Lower
 * case only (no shift on a phone keyboard), no punctuation, and nothing that reads as something else:
 * no 0 or o (O), no 1, l or i (I). 31 symbols, log2(31) = 4.95 bits each.
 */
export const PASSWORD_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
/** 40 characters (ten groups of 4 on the sheet): 40 × log2(31) = 198.2 bits, no less than the 192 of the 24 random bytes (base64url) used before. */
export const PASSWORD_LENGTH = 40;
export const PASSWORD_BITS = PASSWORD_LENGTH * Math.log2(PASSWORD_ALPHABET.length);

/**
 * A new password: PASSWORD_LENGTH symbols of PASSWORD_ALPHABET, each drawn uniformly from the OS
 * CSPRNG (randomInt rejects the bytes that would bias a modulo). Passwords generated before this
 * alphabet keep their value (ignoreChanges), only new ones use it.
 */
export function randomPassword(length = PASSWORD_LENGTH): string {
  let out = '';
  for (let i = 0; i < length; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return out;
}

/**
 * A password OpenSID accepts for its administrator without forcing a change at the first login: its rule
 * (User_model::syarat_sandi) wants 8 to 20 characters with a digit, a lower-case and an upper-case letter
 * and a symbol. Four groups of four symbols of PASSWORD_ALPHABET joined by '-' (19 characters, the '-'
 * the symbol), at least one digit and two letters among them, the first letter upper case: about 78 bits
 * (16 × 4.95, less the few draws refused), as much as fits in OpenSID's 20 characters. Its login page
 * also locks out after repeated failures.
 */
export function opensidAdminPassword(): string {
  for (;;) {
    const raw = randomPassword(16);
    if (!/[2-9]/.test(raw) || (raw.match(/[a-z]/g) ?? []).length < 2) continue;
    const first = raw.search(/[a-z]/);
    const chars = [...raw];
    chars[first] = chars[first]!.toUpperCase();
    return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
  }
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * Secret `data` for plain keys plus freshly generated ones, the generated values as Pulumi secrets: made
 * by `make[key]` when given (a password with another application's rules), else randomPassword().
 */
export function secretData(
  plain: Record<string, string>,
  generated: readonly string[],
  make: Readonly<Record<string, () => string>> = {},
): Record<string, pulumi.Input<string>> {
  const data: Record<string, pulumi.Input<string>> = {};
  for (const [k, v] of Object.entries(plain)) data[k] = base64(v);
  for (const k of generated) data[k] = pulumi.secret(base64((make[k] ?? randomPassword)()));
  return data;
}

/** The ignoreChanges paths that keep generated keys once created. */
export function keepGenerated(generated: readonly string[]): string[] {
  return generated.map((k) => `data.${k}`);
}

/** Reads one key back from a Secret's state (the live object), decoded, as a secret Output. */
export function secretValue(data: pulumi.Output<Record<string, string> | undefined>, key: string): pulumi.Output<string> {
  return pulumi.secret(data.apply((d) => Buffer.from(d?.[key] ?? '', 'base64').toString('utf8')));
}
