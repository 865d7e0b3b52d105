// The JSON Schema of `desa report --format json`, generated from the zod schema in schema.ts.
// Regenerate the checked-in copy after changing the shape (a test fails until you do):
//   bin/node cli/report/json-schema.ts > cli/report/report.schema.json
import { z } from 'zod';
import { reportSchema, SCHEMA_VERSION } from './schema.ts';

export function reportJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(reportSchema, { target: 'draft-2020-12' }),
    // The format's own name, not any kabupaten's host: the report is the same wherever desa runs.
    $id: `urn:desa:report:v${SCHEMA_VERSION}`,
    title: 'desa report --format json',
  };
}

if (import.meta.main) process.stdout.write(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
