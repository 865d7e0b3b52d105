// The benchmark's set-up, made once at import: its options, the desa it runs, the engine and the
// cluster binaries it needs, and the temporary folder with a copy of the inventory. See bench/provision.ts.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { registerUp } from '../../cli/commands/up.ts';
import { findEngine } from '../../cli/engine/automation.ts';
import { cacheDir } from '../../cli/paths.ts';
import { kubectlPath, missingClusterBinaries, readPins } from '../../cli/toolchain/pins.ts';
import { loadInventory } from '../../core/inventory/load.ts';
import { say } from './processes.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const OUT = join(ROOT, 'bench/out');
export const NODE = process.execPath;
export const DESA = join(ROOT, 'bin/desa');
export const PLAIN_UP = join(ROOT, 'bench/plain-up.sh');
export const PLAIN_HOST = join(ROOT, 'bench/plain-host.ts');
export const RENDER = join(ROOT, 'bench/render-manifests.ts');
export const TERRAGRUNT = { stacks: 187, seconds: 6.5 * 60, source: 'gruntwork-io/terragrunt#2480' };
const VARIANTS = ['desa', 'plain', 'kubectl'] as const;
type Variant = (typeof VARIANTS)[number];

/** The default of `desa up --concurrency`, read from the command's own definition. */
function upDefaultConcurrency(): number {
  const program = new Command();
  registerUp(program);
  const opt = program.commands.find((c) => c.name() === 'up')?.options.find((o) => o.long === '--concurrency');
  return Number(opt?.defaultValue ?? 2);
}

const cli = new Command('bench:provision')
  .description('Provision desa stacks with desa up, a plain pulumi up shell loop and kubectl apply --server-side; print wall time and peak memory.')
  .option('--inventory <file>', 'the inventory to provision (copied with the data/ folder beside it)', join(ROOT, 'desa.yaml'))
  .option('--kabupaten <code>', 'instead of --inventory: a new inventory of this kabupaten or kota (desa init --kabupaten CODE) in the work folder')
  .option('--count <n>', 'desa in the run, the first N of the inventory: N-1 provisioned, then the N-th onboarded (default: every unit)')
  .option('--no-onboarding', 'provision all N in the one timed desa up; no onboarding timings (the no-change run stays)')
  .option('--concurrency <n>', 'stacks at the same time, in every variant', String(upDefaultConcurrency()))
  .option('--only-variants <list>', 'comma-separated: desa,plain,kubectl', VARIANTS.join(','))
  .option('--small <n>', 'desa provisioned before the second onboarding timing', '10')
  .option('--port-base <port>', 'first cluster port base (each cluster takes base, +1, +3; clusters are 10 apart)', '29100')
  .option('--keep', 'keep the temporary folder (inventory copy, state, logs, manifests)')
  .parse();
export const opts = cli.opts<{
  inventory: string;
  kabupaten?: string;
  count?: string;
  onboarding: boolean;
  concurrency: string;
  onlyVariants: string;
  small: string;
  portBase: string;
  keep?: boolean;
}>();
if (opts.kabupaten && cli.getOptionValueSource('inventory') === 'cli') cli.error('--inventory and --kabupaten: give one of them.');

/** The work folder, once made: removed again when an option turns out wrong. */
let made: string | undefined;
const int = (v: string, name: string, min: number, max: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    if (made) rmSync(made, { recursive: true, force: true });
    cli.error(`--${name} must be a whole number from ${min} to ${max}, not "${v}".`);
  }
  return n;
};
export const CONCURRENCY = int(opts.concurrency, 'concurrency', 1, 32);
export const PORT_BASE = int(opts.portBase, 'port-base', 1024, 65000);
export const variants = opts.onlyVariants.split(',').map((s) => s.trim()).filter(Boolean);
for (const v of variants) if (!(VARIANTS as readonly string[]).includes(v)) cli.error(`--only-variants: unknown variant "${v}" (desa, plain, kubectl).`);
export const runs = (v: Variant) => variants.includes(v);
/** Onboarding timings: the N-th unit is left out of the first run and onboarded afterwards. */
export const ONBOARDING = opts.onboarding;

export const engine = await findEngine().catch((e: Error) => {
  say(`${e.message} Run \`bin/desa doctor\`.`);
  process.exit(1);
});
export const pins = readPins(ROOT);
export const kubectl = kubectlPath(cacheDir(), pins);
export const PULUMI = join(engine.cliRoot, 'bin', 'pulumi');
const missing = missingClusterBinaries(cacheDir(), pins);
if (missing.length) {
  say(`the local cluster is not built (${missing.join(', ')} missing): run \`bin/desa cluster up\` once first (it builds it).`);
  process.exit(1);
}

export const work = mkdtempSync(join(tmpdir(), 'desa-bench-provision-'));
made = work;
export const logs = join(work, 'logs');
mkdirSync(logs, { recursive: true });
export const inventory = join(work, 'inventory', 'desa.yaml');
mkdirSync(join(work, 'inventory'));
/** Where the inventory came from, for the report. */
export let inventorySource: string;
if (opts.kabupaten) {
  // A new inventory of any kabupaten or kota, as a Diskominfo elsewhere would start (issue 15).
  const args = ['init', '--kabupaten', opts.kabupaten, '--domain', 'desa.bench.example.go.id', '--operator', 'Dinas Komunikasi dan Informatika (benchmark)', '--target-due', '2027-12-31', '--out', inventory, '--json'];
  say(`desa ${args.join(' ')}`);
  const r = spawnSync(DESA, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) {
    say(`desa init --kabupaten ${opts.kabupaten} exited ${r.status}:\n${r.stderr}${r.stdout}`);
    rmSync(work, { recursive: true, force: true });
    process.exit(1);
  }
  inventorySource = `desa init --kabupaten ${opts.kabupaten}`;
} else {
  const source = resolve(opts.inventory);
  if (!existsSync(source)) {
    rmSync(work, { recursive: true, force: true });
    cli.error(`--inventory: ${source} does not exist.`);
  }
  cpSync(source, inventory);
  const data = join(dirname(source), 'data');
  if (existsSync(data)) cpSync(data, join(work, 'inventory', 'data'), { recursive: true });
  inventorySource = relative(ROOT, source) || source;
}
export const allUnits = loadInventory(inventory).inventory.units;
export const COUNT = opts.count === undefined ? allUnits.length : int(opts.count, 'count', 2, allUnits.length);
export const units = allUnits.slice(0, COUNT);
/** The unit onboarded afterwards (the N-th), or none with --no-onboarding. */
export const newcomer = ONBOARDING ? units.at(-1)! : null;
/** The units provisioned by the first timed run. */
export const base = ONBOARDING ? units.slice(0, -1) : units;
export const SMALL = Math.min(int(opts.small, 'small', 1, allUnits.length), Math.max(1, Math.floor(base.length / 2)));

