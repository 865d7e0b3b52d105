// The options of `desa report`, parsed once at the boundary: a wrong value is a usage error (exit 2)
// that names the flag and says what it accepts.
import { extname } from 'node:path';
import { z } from 'zod';
import { AbortError, EXIT } from '../errors.ts';
import { today } from '../inventory/checks.ts';
import { isCalendarDate } from '../inventory/schema.ts';
import { LANGS, type Lang } from './i18n.ts';

export const FORMATS = ['terminal', 'markdown', 'json', 'csv', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/** The format an --out file's extension implies, when --format is not given. */
const BY_EXTENSION: Record<string, Format> = { '.md': 'markdown', '.markdown': 'markdown', '.json': 'json', '.csv': 'csv', '.html': 'html', '.htm': 'html', '.txt': 'terminal' };

const FLAGS: Record<string, string> = { format: '--format', lang: '--lang', out: '--out', asOf: '--as-of', file: '--file', state: '--no-state' };

const raw = z.object({
  file: z.string().min(1, { message: 'expected a path' }),
  format: z.enum(FORMATS, { message: `expected one of ${FORMATS.join(', ')}` }).optional(),
  lang: z.enum(LANGS, { message: `expected one of ${LANGS.join(', ')} (Bahasa Indonesia or English)` }).default('id'),
  out: z.string().min(1, { message: 'expected a file path' }).optional(),
  asOf: z.string().refine(isCalendarDate, { message: 'expected a date as YYYY-MM-DD, such as 2023-12-31' }).optional(),
  state: z.boolean().default(true),
});

export interface ReportOptions {
  file: string;
  format: Format;
  lang: Lang;
  out: string | undefined;
  asOf: string;
  /** The day desa.yaml's statuses describe (today, or $DESA_TODAY): before it, only dates count. */
  today: string;
  /** Read the services of provisioned desa from the stack state (false: --no-state). */
  state: boolean;
}

/**
 * Validates what commander collected. Without --format: the --out file's extension decides, else the
 * terminal view on a TTY and Markdown otherwise.
 */
export function parseReportOptions(input: Record<string, unknown>, env: { stdoutIsTTY: boolean }): ReportOptions {
  const r = raw.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const given = input[key];
    throw new AbortError(`${FLAGS[key] ?? key}: ${issue.message}${given === undefined ? '' : `; got "${String(given)}"`}.`, {
      exitCode: EXIT.usage,
      nextStep: 'See `desa report --help` for the options and examples.',
    });
  }
  const o = r.data;
  const inferred = o.out ? BY_EXTENSION[extname(o.out).toLowerCase()] : undefined;
  return {
    file: o.file,
    format: o.format ?? inferred ?? (env.stdoutIsTTY && !o.out ? 'terminal' : 'markdown'),
    lang: o.lang,
    out: o.out,
    asOf: o.asOf ?? today(),
    today: today(),
    state: o.state,
  };
}
