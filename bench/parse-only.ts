// The baseline for bench/inventory.ts: read and parse a YAML file with the same library, nothing else.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const doc = parse(readFileSync(process.argv[2]!, 'utf8'), { maxAliasCount: 1000 }) as { units?: unknown[] };
process.stdout.write(`${doc.units?.length ?? 0}\n`);
