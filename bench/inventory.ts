// Benchmark: `desa validate` and `desa report --format json` on the Bekasi inventory and on a national
// one built from ../shared/data/indonesia-wilayah.csv (83,762 units), beside the bare parse of the same
// YAML file. Each figure is the median of several whole-process runs (Node start-up included in all
// three), with the peak resident memory from /usr/bin/time.
//
//   npm run bench            (or: bin/node bench/inventory.ts [--runs 5])
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseOfficialList } from '../core/inventory/official.ts';
import { renderInventory } from '../scripts/generate-inventory.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench/out');
const NODE = process.execPath;
const DESA = join(ROOT, 'bin/desa');
const NATIONAL_CSV = resolve(process.env.DESA_NATIONAL_CSV ?? join(ROOT, '../shared/data/indonesia-wilayah.csv'));
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Sample {
  seconds: number;
  peakMiB: number | null;
}

function measure(cmd: string, args: string[]): Sample {
  const argv = TIME ? [TIME, '-f', '%M', cmd, ...args] : [cmd, ...args];
  const started = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
  const kb = TIME ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  return { seconds, peakMiB: Number.isFinite(kb) ? kb / 1024 : null };
}

function median(cmd: string, args: string[]): Sample {
  const samples = Array.from({ length: runs }, () => measure(cmd, args)).sort((a, b) => a.seconds - b.seconds);
  return samples[Math.floor(samples.length / 2)]!;
}

function buildNational(): string {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'national.yaml');
  const list = parseOfficialList(readFileSync(NATIONAL_CSV, 'utf8'), NATIONAL_CSV);
  const units = [...list.units.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
  writeFileSync(file, renderInventory(units, { officialFile: relative(OUT, NATIONAL_CSV), kabupatenName: 'Indonesia (benchmark)' }));
  return file;
}

const fmt = (s: Sample) => `${s.seconds.toFixed(2)} s${s.peakMiB === null ? '' : ` / ${s.peakMiB.toFixed(0)} MiB`}`;

const files = [
  { label: 'Kabupaten Bekasi (desa.yaml)', file: join(ROOT, 'desa.yaml') },
  { label: 'Indonesia (national, generated)', file: buildNational() },
];
const parseOnly = join(ROOT, 'bench/parse-only.ts');
const rows: string[][] = [];
for (const { label, file } of files) {
  const units = (readFileSync(file, 'utf8').match(/^ {2}- code:/gm) ?? []).length;
  process.stderr.write(`bench: ${label}: ${units} units, ${runs} runs each…\n`);
  const yamlParse = median(NODE, [parseOnly, file, 'yaml']);
  const fastParse = median(NODE, [parseOnly, file, 'js-yaml']);
  const validate = median(DESA, ['validate', '--file', file]);
  const report = median(DESA, ['report', '--format', 'json', '--file', file, '--out', join(OUT, 'report.json')]);
  const ratios = (s: Sample) => `${(s.seconds / fastParse.seconds).toFixed(1)}x js-yaml, ${(s.seconds / yamlParse.seconds).toFixed(2)}x yaml`;
  rows.push([
    label,
    units.toLocaleString('en'),
    `${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB`,
    fmt(yamlParse),
    fmt(fastParse),
    `${fmt(validate)} (${ratios(validate)})`,
    `${fmt(report)} (${ratios(report)})`,
  ]);
}

const header = ['inventory', 'units', 'size', 'parse: yaml', 'parse: js-yaml', 'desa validate', 'desa report --format json'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(`Node ${process.version}, ${runs} runs each, median wall time / peak RSS of the whole process`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log('Aims: validation within 3x of the bare parse; the national report under 2 s.');
