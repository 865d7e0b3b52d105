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

export function renderReport(data: ReportData, format: Format, opts: RenderOptions): string {
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
