// The options of `desa report`, parsed once at the boundary: a wrong value is a usage error (exit 2)
// that names the flag and says what it accepts.
import { extname } from 'node:path';
import { z } from 'zod';
import { AbortError, EXIT } from '../../core/errors.ts';
import { today } from '../../core/inventory/checks.ts';
import { isCalendarDate } from '../../core/inventory/schema.ts';
import { LANGS, type Lang } from './i18n.ts';

export const FORMATS = ['terminal', 'markdown', 'json', 'csv', 'html', 'pdf'] as const;
export type Format = (typeof FORMATS)[number];

/** The format an --out file's extension implies; any other extension needs --format. */
const BY_EXTENSION: Record<string, Format> = { '.md': 'markdown', '.markdown': 'markdown', '.json': 'json', '.csv': 'csv', '.html': 'html', '.htm': 'html', '.txt': 'terminal', '.pdf': 'pdf' };

const FLAGS: Record<string, string> = {
  format: '--format',
  lang: '--lang',
  out: '--out',
  asOf: '--as-of',
  file: '--file',
  state: '--no-state',
  approver: '--approver',
  approverTitle: '--approver-title',
  approverNip: '--approver-nip',
};
const text = (max: number) => z.string().trim().min(1, { message: 'expected some text' }).max(max, { message: `expected at most ${max} characters` }).optional();

const raw = z.object({
  file: z.string().min(1, { message: 'expected a path' }),
  format: z.enum(FORMATS, { message: `expected one of ${FORMATS.join(', ')}` }).optional(),
  lang: z.enum(LANGS, { message: `expected one of ${LANGS.join(', ')} (Bahasa Indonesia or English)` }).default('id'),
  out: z.string().min(1, { message: 'expected a file path' }).optional(),
  asOf: z.string().refine(isCalendarDate, { message: 'expected a date as YYYY-MM-DD, such as 2023-12-31' }).optional(),
  state: z.boolean().default(true),
  approver: text(100),
  approverTitle: text(200),
  approverNip: text(30),
});

/** Who approves the report, for the signature block of the HTML and PDF; blanks to fill by hand when absent. */
export interface Approver {
  name?: string;
  title?: string;
  nip?: string;
}

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
  approver: Approver;
}

const usage = (message: string) => new AbortError(message, { exitCode: EXIT.usage, nextStep: 'See `desa report --help` for the options and examples.' });

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
    throw usage(`${FLAGS[key] ?? key}: ${issue.message}${given === undefined ? '' : `; got "${String(given)}"`}.`);
  }
  const o = r.data;
  const format = o.format ?? (o.out ? formatOfOut(o.out) : env.stdoutIsTTY ? 'terminal' : 'markdown');
  if (o.out && o.format) {
    const implied = BY_EXTENSION[extname(o.out).toLowerCase()];
    if (implied && implied !== o.format) throw usage(`--out ${o.out}: a ${extname(o.out)} file needs --format ${implied}, not ${o.format}.`);
  }
  if (format === 'pdf' && !o.out) throw usage('--format pdf: a PDF is written to a file: add --out laporan.pdf.');
  return {
    file: o.file,
    format,
    lang: o.lang,
    out: o.out,
    asOf: o.asOf ?? today(),
    today: today(),
    state: o.state,
    approver: { ...(o.approver ? { name: o.approver } : {}), ...(o.approverTitle ? { title: o.approverTitle } : {}), ...(o.approverNip ? { nip: o.approverNip } : {}) },
  };
}

/** The format an --out file's extension implies; an extension desa does not write is refused, never guessed. */
function formatOfOut(out: string): Format {
  const ext = extname(out).toLowerCase();
  const format = BY_EXTENSION[ext];
  if (format) return format;
  const known = Object.keys(BY_EXTENSION).join(', ');
  throw usage(ext ? `--out ${out}: desa report does not write ${ext} files; it writes ${known}.` : `--out ${out}: the file has no extension to tell the format; add --format (${FORMATS.join(', ')}).`);
}
