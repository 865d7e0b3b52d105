// The last readiness of each desa, kept in .desa/check.json for `desa report`: per desa, when it was
// checked, whether it was ready and which checks failed with their reasons. A `desa check --only` run
// replaces the rows of the desa it checked and keeps the others. No secret is ever in it (the reasons
// name addresses and servers, never a password or key).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { CHECKS, type CheckDocument } from './model.ts';

const stored = z.object({
  version: z.literal(1),
  units: z.record(
    z.string(),
    z.object({
      checkedAt: z.string(),
      ready: z.boolean(),
      failures: z.array(z.object({ check: z.enum(CHECKS), detail: z.string() })),
    }),
  ),
});

export type LastCheck = z.infer<typeof stored>;
export type LastUnitCheck = LastCheck['units'][string];

/** The stored check with this run's rows over the earlier ones. */
export function mergeCheck(previous: LastCheck | null, doc: CheckDocument): LastCheck {
  const units = { ...previous?.units };
  for (const r of doc.units) {
    units[r.slug] = { checkedAt: doc.checkedAt, ready: r.ready, failures: Object.entries(r.checks).filter(([, c]) => c.state === 'fail').map(([check, c]) => ({ check: check as LastUnitCheck['failures'][number]['check'], detail: c.detail })) };
  }
  return { version: 1, units: Object.fromEntries(Object.entries(units).sort(([a], [b]) => a.localeCompare(b))) };
}

/** The stored check, or null when there is none (never checked) or it is unreadable (then it is ignored). */
export function readLastCheck(file: string): LastCheck | null {
  if (!existsSync(file)) return null;
  try {
    const parsed = stored.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeLastCheck(file: string, check: LastCheck): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(check, null, 2)}\n`, { mode: 0o644 });
  renameSync(tmp, file);
}
