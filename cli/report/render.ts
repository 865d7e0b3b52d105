// One entry for every format: ReportData in, text out. The formats are thin renderers of the same data.
import { messages, type Lang } from './i18n.ts';
import type { Format } from './options.ts';
import { renderCsv } from './render-csv.ts';
import { renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-markdown.ts';
import { renderTerminal } from './render-terminal.ts';
import type { ReportData } from './schema.ts';

export interface RenderOptions {
  lang: Lang;
  /** Terminal width, for the terminal format. */
  columns?: number;
}

export function renderReport(data: ReportData, format: Format, opts: RenderOptions): string {
  const m = messages(opts.lang);
  switch (format) {
    case 'terminal':
      return `${renderTerminal(data, m, opts.columns)}\n`;
    case 'markdown':
      return renderMarkdown(data, m);
    case 'json':
      // Data only: the same in every language.
      return `${JSON.stringify(data, null, 2)}\n`;
    case 'csv':
      return renderCsv(data);
    case 'html':
      return renderHtml(data, m);
  }
}
