// The pinned versions of the toolchain (toolchain/versions.env, the one place they live) and where
// toolchain/build.sh puts each built piece: <cache>/toolchain/<piece>-<version>/bin/<binary>. Every path
// to a built binary (the control plane, kubectl, the S3 gateway) is made here, nowhere else.
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Pins = Record<string, string>;

/** KEY=value lines of toolchain/versions.env (comments and blanks skipped). */
export function parseVersionsEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim().replace(/^["']|["']$/g, '');
  }
  return out;
}

export function readPins(root: string): Pins {
  return parseVersionsEnv(readFileSync(join(root, 'toolchain/versions.env'), 'utf8'));
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first executable `name` on $PATH, like `command -v`. */
export function which(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** The versions.env key that pins each piece build.sh builds. */
const VERSION_KEY = {
  pulumi: 'PULUMI_VERSION',
  'pulumi-language-nodejs': 'PULUMI_VERSION',
  etcd: 'ETCD_VERSION',
  kubernetes: 'KUBERNETES_VERSION',
  kwok: 'KWOK_VERSION',
  versitygw: 'VERSITYGW_VERSION',
  pebble: 'PEBBLE_VERSION',
  sftpgo: 'SFTPGO_VERSION',
} as const;

export type Piece = keyof typeof VERSION_KEY;

/** The pinned version of a piece ('' when versions.env does not pin it). */
export function pinnedVersion(pins: Pins, piece: Piece): string {
  return pins[VERSION_KEY[piece]] ?? '';
}

/** Where build.sh puts a built binary of a piece: <cache>/toolchain/<piece>-<version>/bin/<binary>. */
export function builtBinary(cache: string, pins: Pins, piece: Piece, binary: string = piece): string {
  return join(cache, 'toolchain', `${piece}-${pinnedVersion(pins, piece)}`, 'bin', binary);
}

/** The local control plane's binaries, where toolchain/build.sh puts them (versioned folders). */
export function clusterBinaries(cache: string, pins: Record<string, string>) {
  const kube = (name: string) => ({ name, path: builtBinary(cache, pins, 'kubernetes', name), version: pins.KUBERNETES_VERSION ?? null });
  return [
    { name: 'etcd', path: builtBinary(cache, pins, 'etcd'), version: pins.ETCD_VERSION ?? null },
    kube('kube-apiserver'),
    kube('kube-controller-manager'),
    kube('kube-scheduler'),
    kube('kubectl'),
    { name: 'kwok', path: builtBinary(cache, pins, 'kwok'), version: pins.KWOK_VERSION ?? null },
  ];
}

export function kubectlPath(cache: string, pins: Record<string, string>): string {
  return builtBinary(cache, pins, 'kubernetes', 'kubectl');
}

/** The names of the control-plane binaries not (yet) built. */
export function missingClusterBinaries(cache: string, pins: Record<string, string>): string[] {
  return clusterBinaries(cache, pins)
    .filter((b) => !isExecutable(b.path))
    .map((b) => b.name);
}

/** True while build.sh builds `piece` (its temp folder names a live pid). */
export function buildInProgress(cache: string, piece: string): boolean {
  const tc = join(cache, 'toolchain');
  let names: string[];
  try {
    names = readdirSync(tc);
  } catch {
    return false;
  }
  return names.some((n) => {
    const m = new RegExp(`^\\.build-${piece}-pid(\\d+)\\.`).exec(n);
    if (!m) return false;
    try {
      process.kill(Number(m[1]), 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  });
}

