import { performance } from 'node:perf_hooks';
import { readYaml, validateParsed } from '../core/inventory/load.ts';
import { inventoryFile } from '../core/inventory/schema.ts';
import { loadOfficialList } from '../core/inventory/official.ts';
import { checkInventory } from '../core/inventory/checks.ts';
import { slugsOf } from '../core/inventory/resolve.ts';
const file = 'bench/out/national.yaml';
const mode = process.argv[2];
const t0 = performance.now();
const parsed = readYaml(file, {});
const t1 = performance.now();
if (mode === 'full') validateParsed(parsed, file);
else {
  const r = inventoryFile.safeParse(parsed.data, { reportInput: true });
  const off = loadOfficialList('/work/shared/data/indonesia-wilayah.csv');
  const p = checkInventory(r.data!, r.data!.units, off, parsed.locator);
  const s = slugsOf(r.data!, off);
}
const t2 = performance.now();
console.log(mode, 'yaml', (t1 - t0).toFixed(0), 'rest', (t2 - t1).toFixed(0));
