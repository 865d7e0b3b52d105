// Generated credentials. Passwords come from the OS CSPRNG and are wrapped as Pulumi secrets the moment
// they exist. They are written to a Secret's `data` (base64) and that key is in `ignoreChanges`, so the
// value chosen at creation is kept: later runs generate a fresh candidate that the engine discards.
// `data`, not `stringData`: the Kubernetes provider folds stringData into data when it checks inputs, so
// the stored inputs only have `data.<key>` for ignoreChanges to keep.
import { randomBytes } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';

/** 32 characters of base64url: 192 bits. */
export function randomPassword(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Secret `data` for plain keys plus freshly generated ones, the generated values as Pulumi secrets. */
export function secretData(
  plain: Record<string, string>,
  generated: readonly string[],
): Record<string, pulumi.Input<string>> {
  const data: Record<string, pulumi.Input<string>> = {};
  for (const [k, v] of Object.entries(plain)) data[k] = base64(v);
  for (const k of generated) data[k] = pulumi.secret(base64(randomPassword()));
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
