// Pulumi mock runtime for the stack tests: records every resource registered, with its inputs. Each
// test file installs the mocks BEFORE importing the program (vitest runs files in separate forks).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pulumi from '@pulumi/pulumi';

export interface Recorded {
  type: string;
  name: string;
  /** Inputs with secrets unwrapped. */
  inputs: Record<string, any>;
  /** Inputs as the mock monitor received them: secrets wrapped (see isSecretAt). */
  raw: Record<string, any>;
  provider: string | undefined;
  custom: boolean;
}

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const INVENTORY = resolve(PROJECT_ROOT, 'desa.yaml');

/** Config for a complete platform: every service deployed, custom resources on. */
export const PLATFORM_CONFIG: Record<string, string> = {
  'desa:inventory': INVENTORY,
  'desa:tls': JSON.stringify({ acmeEmail: 'diskominfosantik@bekasikab.go.id' }),
  'desa:dns': JSON.stringify({ rfc2136: { nameserver: 'ns1.bekasikab.go.id:53', tsigKeyName: 'desa-platform.' } }),
  'desa:dnsTsigSecret': 'c2VjcmV0LXRzaWcta2V5LWZvci10ZXN0cw==',
  'kubernetes:context': 'desa-test',
};

export interface MockRun {
  resources: Recorded[];
  /** Waits until every registration has reached the mocks. */
  settle(): Promise<void>;
  ofType(type: string): Recorded[];
  /** The one resource of a type whose metadata.name (or Pulumi name) is `name`. */
  one(type: string, name: string): Recorded;
}

export function installMocks(stack: string, config: Record<string, string> = {}, secretKeys: string[] = []): MockRun {
  const resources: Recorded[] = [];
  pulumi.runtime.setAllConfig(config, secretKeys);
  void pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        resources.push({
          type: args.type,
          name: args.name,
          inputs: unwrapSecrets(args.inputs),
          raw: args.inputs,
          provider: args.provider,
          custom: args.custom ?? true,
        });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        return args.inputs;
      },
    },
    'desa',
    stack,
    false,
  );
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  return {
    resources,
    ofType,
    async settle() {
      const wait = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
      if (wait) await wait();
      await new Promise((r) => setTimeout(r, 10));
      if (wait) await wait();
    },
    one(type: string, name: string) {
      const found = ofType(type).filter((r) => r.inputs.metadata?.name === name || r.name === name);
      if (found.length !== 1) {
        throw new Error(`expected one ${type} named ${name}, found ${found.length} (${ofType(type).map((r) => r.inputs.metadata?.name ?? r.name).join(', ')})`);
      }
      return found[0]!;
    },
  };
}

// How the runtime marks a secret value on the wire (sdk/nodejs/runtime/rpc.ts: specialSigKey, specialSecretSig).
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

function isSecretMarker(v: unknown): v is { value: unknown } {
  return typeof v === 'object' && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

export function unwrapSecrets(v: any): any {
  if (isSecretMarker(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  return v;
}

/** Whether the value at `path` of raw inputs is secret (itself, or inside a secret object). */
export function isSecretAt(raw: any, path: string[]): boolean {
  let v = raw;
  for (const key of path) {
    if (isSecretMarker(v)) return true;
    v = v?.[key];
  }
  return isSecretMarker(v);
}

/** The value of an Output (mocks run as an update, so values are known). */
export function valueOf<T>(o: pulumi.Input<T>): Promise<T> {
  return new Promise((done) => pulumi.output(o).apply((v) => done(v as T)));
}

export function decode(b64: string): string {
  return Buffer.from(b64, 'base64').toString('utf8');
}

/**
 * A copy of desa.yaml with `edit` applied, written to a temporary directory (the official list is
 * referenced by absolute path). For scenarios the real inventory does not have yet.
 */
export function fixtureInventory(edit: (text: string) => string): string {
  const text = readFileSync(INVENTORY, 'utf8').replace(
    'file: data/kepmendagri-2025-bekasi.csv',
    `file: ${resolve(PROJECT_ROOT, 'data/kepmendagri-2025-bekasi.csv')}`,
  );
  const edited = edit(text);
  if (edited === text) throw new Error('fixtureInventory: the edit changed nothing');
  const dir = mkdtempSync(join(tmpdir(), 'desa-fixture-'));
  const file = join(dir, 'desa.yaml');
  writeFileSync(file, edited);
  return file;
}

/** Inserts a `services:` block under the unit with this slug. */
export function withServices(slug: string, yaml: string): (text: string) => string {
  return (text) => text.replace(`    slug: ${slug}\n`, `    slug: ${slug}\n${yaml.replace(/^/gm, '    ').trimEnd()}\n`);
}
