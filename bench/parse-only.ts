// The baselines for bench/inventory.ts: read and parse a YAML file, nothing else.
//   parse-only.ts FILE yaml      the `yaml` library (keeps positions and comments)
//   parse-only.ts FILE js-yaml   js-yaml, core schema: the fast reader desa uses for valid files
import { readFileSync } from 'node:fs';
import jsyaml from 'js-yaml';
import { parse } from 'yaml';

const [file, parser = 'yaml'] = process.argv.slice(2);
const text = readFileSync(file!, 'utf8');
const doc = (parser === 'js-yaml' ? jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }) : parse(text, { maxAliasCount: 1000 })) as {
  units?: unknown[];
};
process.stdout.write(`${doc.units?.length ?? 0}\n`);
