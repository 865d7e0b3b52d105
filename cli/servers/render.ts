// The template engine of the server configs: {{name}} placeholders filled from typed values. A
// placeholder without a value, or a value no placeholder uses, is an error: a typo on either side
// shows at once (every spec's config is rendered in the unit tests).
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export const TEMPLATES = join(import.meta.dirname, 'templates');

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

export function renderTemplate(text: string, values: Readonly<Record<string, string | number>>, name = 'template'): string {
  const used = new Set<string>();
  const missing = new Set<string>();
  const out = text.replace(PLACEHOLDER, (_, key: string) => {
    if (!Object.hasOwn(values, key)) {
      missing.add(key);
      return '';
    }
    used.add(key);
    return String(values[key]);
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (missing.size > 0 || unused.length > 0) {
    const parts = [missing.size ? `no value for ${[...missing].map((k) => `{{${k}}}`).join(', ')}` : '', unused.length ? `no placeholder for ${unused.join(', ')}` : ''];
    throw new Error(`${name}: ${parts.filter(Boolean).join('; ')}`);
  }
  return out;
}

const cache = new Map<string, string>();

/** Where a template is: templates/<name>, or an absolute path. */
export const templatePath = (name: string) => (isAbsolute(name) ? name : join(TEMPLATES, name));

/** A template, rendered. */
export function render(name: string, values: Readonly<Record<string, string | number>>): string {
  let text = cache.get(name);
  if (text === undefined) cache.set(name, (text = readFileSync(templatePath(name), 'utf8')));
  return renderTemplate(text, values, isAbsolute(name) ? name : `templates/${name}`);
}
