// One entry for every format: ReportData in, text out. The formats are thin renderers of the same data.
import { messages, type Lang } from './i18n.ts';
import type { Approver, Format } from './options.ts';
import { renderCsv } from './render-csv.ts';
import { renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-markdown.ts';
import type { ReportData } from './schema.ts';

export interface RenderOptions {
  lang: Lang;
  /**
   * The terminal renderer (render-terminal.ts), passed in by the caller because it loads ink and
   * React: a `--format json` run should not pay for them.
   */
  terminal?: (data: ReportData, m: ReturnType<typeof messages>, columns?: number) => string;
  /** Terminal width, for the terminal format. */
  columns?: number;
  /** Who signs the HTML and PDF report (blanks to fill by hand where absent). */
  approver?: Approver;
  /** json: indented for a person (a terminal); compact otherwise (a pipe, a file: half the bytes). */
  pretty?: boolean;
}

/** The report as one text (for a page, a test, a renderer that needs it whole). */
export function renderReport(data: ReportData, format: Format, opts: RenderOptions): string {
  return renderReportChunks(data, format, opts).join('');
}

/**
 * The report as pieces whose concatenation is the text, to write one after another. Compact JSON comes
 * in pieces of UNITS_PER_CHUNK units: the national report is 69 MB, and one string that size costs
 * twice over. It is built two bytes per character from the first name outside Latin-1 on (such as
 * "Regapu’u"), so the rest of the text takes twice the memory and its UTF-8 encoding on write is four
 * times slower; in pieces, only the pieces that hold such a name do.
 */
export function renderReportChunks(data: ReportData, format: Format, opts: RenderOptions): string[] {
  if (format === 'json' && !opts.pretty) return jsonChunks(data);
  return [renderWhole(data, format, opts)];
}

export const UNITS_PER_CHUNK = 1000;

/** JSON.stringify(data) + "\n", in pieces: the same bytes. */
export function jsonChunks(data: ReportData): string[] {
  // In pieces only when `units` is the last key (as buildReport writes it): otherwise the order would change.
  if (Object.keys(data).at(-1) !== 'units') return [`${JSON.stringify(data)}\n`];
  const { units, ...rest } = data;
  const head = JSON.stringify(rest);
  const out = [`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"units":[`];
  for (let i = 0; i < units.length; i += UNITS_PER_CHUNK) {
    const part = JSON.stringify(units.slice(i, i + UNITS_PER_CHUNK));
    out.push(`${i > 0 ? ',' : ''}${part.slice(1, -1)}`);
  }
  out.push(']}\n');
  return out;
}

function renderWhole(data: ReportData, format: Format, opts: RenderOptions): string {
  const m = messages(opts.lang);
  switch (format) {
    case 'terminal':
      if (!opts.terminal) throw new Error('renderReport: the terminal format needs opts.terminal');
      return `${opts.terminal(data, m, opts.columns)}\n`;
    case 'markdown':
      return renderMarkdown(data, m);
    case 'json':
      // Data only: the same in every language.
      return `${opts.pretty ? JSON.stringify(data, null, 2) : JSON.stringify(data)}\n`;
    case 'csv':
      return renderCsv(data);
    case 'html':
      return renderHtml(data, m, opts.approver);
    case 'pdf':
      // The HTML that Chromium prints (pdf.ts): the same page, with its @page rules.
      return renderHtml(data, m, opts.approver);
  }
}
