// What desa knows about one local server, as data: how it is installed and checked, its ports, the
// config files rendered from typed values, a step run once (a database schema), how it is started,
// when it is ready, how it re-reads its config, and where it logs. One ServerSpec per server
// (dovecot.ts, postfix.ts, ...), listed in table.ts; the supervisor (supervisor.ts) runs any of them.
import type { Piece } from '../toolchain/pins.ts';
import type { PortName, ServicePorts } from './ports.ts';

/** Everything a spec's functions may read: given, never looked up by the spec itself. */
export interface ServerContext {
  /** .desa/services, absolute. */
  dir: string;
  ports: ServicePorts;
  /** The mail domain and the zone the sites are served under: the inventory's, on every start. */
  domain: string;
  /** The Kabupaten's name as desa.yaml writes it (Kabupaten Bekasi): what people see (webmail's title). */
  kabupaten: string;
  /** Whether desa runs as root: servers then drop privileges to their own users. */
  root: boolean;
  /** The user and group desa runs as (root: root, root). */
  self: { user: string; group: string };
  /** The group of `nobody` (Debian: nogroup). */
  nobodyGroup: string;
  /** A secret made once under secrets/ (0600), by name; only those the spec declares. */
  secret(name: string): string;
  /** Where toolchain/build.sh put a built binary. */
  built(piece: Piece, binary?: string): string;
  /** Values the stacks and the inventory decide, rendered into config (core/contract.ts). */
  values: { defaultMailboxQuota: string };
}

/** How the server gets onto the machine: Debian packages, or a piece toolchain/build.sh builds. */
export type Install = { debian: readonly string[] } | { build: Piece };

/** One condition for the server to run here; the first one that fails is the reason it is "unavailable". */
export type Requirement =
  /** An executable on PATH (with /usr/sbin and /sbin), from a Debian package. */
  | { command: string; package: string }
  /** A file a Debian package installs. */
  | { file: string; package: string }
  /** The built binary (install.build) exists. */
  | { built: true }
  /** Only as root, with why. */
  | { root: true; why: string }
  /** As root only: system users the package creates. */
  | { users: readonly string[]; package: string }
  /** Another server must be available (not necessarily running), with why. */
  | { server: string; why: string };

/** A config file rendered from a template (templates/<template>, or an absolute path) with typed values, on every start. */
export interface ConfigFile {
  /** Relative to the services folder. */
  path: string;
  template: string;
  values: Record<string, string | number>;
  /** Default 0644; a file holding a secret is 0600. */
  mode?: number;
}

/** A folder made before the config is written (data folders are never wiped). */
export interface Folder {
  path: string;
  mode?: number;
  /** user[:group], applied as root only. */
  owner?: string;
}

/** A readiness check: all of a server's probes pass when it is ready. */
export type Probe =
  | { tcp: number }
  | { udp: number }
  /** An HTTP GET that answers 2xx (headers may hold a key: this runs in-process). */
  | { http: string; headers?: Record<string, string> }
  /**
   * An HTTPS GET that answers 2xx, the certificate verified for `host` against the PEM files `trust`
   * (relative to the services folder; those that exist): the server's own certificate file covers the
   * self-signed stand-in before the local CA has issued one, the local CA's root the issued one.
   */
  | { https: string; host: string; trust: readonly string[] }
  /** The server wrote its own pid file with the pid desa started (nginx does once every listener is bound). */
  | { pidFile: string };

/** How a running server re-reads changed config: a signal, a command, or only a restart. */
export type Reload = { signal: NodeJS.Signals } | { command: (ctx: ServerContext) => readonly string[] } | { restart: true };

export interface Launch {
  /** argv; argv[0] is looked up on PATH (with /usr/sbin and /sbin) unless absolute. */
  argv: readonly string[];
  /** Added to the environment: the only way a secret reaches a server besides a 0600 file. */
  env?: Record<string, string>;
  /** A config check run first (nginx -t); its failure is the reason the server did not start. */
  check?: readonly string[];
  /** The command starts the server in the background and exits (postfix start); the pid is then read from pidFile. */
  daemonizes?: boolean;
  /** Its working folder, relative to the services folder (a server that finds its assets beside it); default the services folder. */
  cwd?: string;
}

/** The platform service a server stands in for on the local cluster (how `desa doctor` groups them). */
export type Service = 'mail' | 'dns' | 'site' | 'storage' | 'tls';

export interface ServerSpec<N extends string = string> {
  name: N;
  service: Service;
  /** For people: `desa doctor`, status lines. */
  title: string;
  /** What it serves, for `desa doctor`. */
  purpose: string;
  install: Install;
  requires: readonly Requirement[];
  /** How `desa doctor` reads its version (Debian packages; a built piece has its pinned version). */
  version?: { command: string; args: readonly string[]; pattern: RegExp };
  /** The ports it listens on; the first is the one shown to people. */
  ports: readonly PortName[];
  /** Servers it talks to while running: it stops before them. */
  uses?: readonly string[];
  /**
   * As root: the system user (with its own group) the server's processes run as, made with useradd when
   * missing, before its folders are made (they may be its). It owns nothing outside the services folder.
   */
  systemUser?: { name: string; comment: string };
  /** Secrets it needs, made once under secrets/ (random hex of `bytes` bytes). */
  secrets?: readonly { name: string; bytes: number }[];
  folders(ctx: ServerContext): Folder[];
  /** Files it reads that the sync writes later (accounts, maps): created empty when absent. */
  seeds?: readonly { path: string; mode?: number }[];
  config(ctx: ServerContext): ConfigFile[];
  /** A step run once, before the first start: it creates `creates` (relative), atomically. */
  init?: { creates: string; run(ctx: ServerContext, tmpPath: string): Promise<void> };
  launch(ctx: ServerContext): Launch;
  /** The pid file the server writes itself, relative (found again when desa's own record is lost). */
  pidFile?: string;
  ready(ctx: ServerContext): Probe[];
  reload: Reload;
  /** Log files besides log/<name>.log, relative: shown when it fails to start. */
  logs?: readonly string[];
}
