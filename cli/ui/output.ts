// The one place that writes to the terminal outside ink. Progress, logs and errors go to stderr so
// stdout stays pipeable (reports, --json). Colour follows NO_COLOR, FORCE_COLOR and whether the stream
// is a TTY (util.styleText checks all three).
import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

export function paint(style: Style, text: string, stream: NodeJS.WriteStream = process.stderr): string {
  return styleText(style, text, { stream });
}

export const log = {
  info: (msg: string) => process.stderr.write(`${msg}\n`),
  step: (msg: string) => process.stderr.write(`${paint('dim', '›')} ${msg}\n`),
  success: (msg: string) => process.stderr.write(`${paint('green', '✔')} ${msg}\n`),
  warn: (msg: string) => process.stderr.write(`${paint('yellow', 'warning:')} ${msg}\n`),
  error: (msg: string) => process.stderr.write(`${paint('red', 'error:')} ${msg}\n`),
};

/** Writes a result to stdout: the only thing a pipe receives. */
export function emit(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function emitJson(value: unknown): void {
  emit(JSON.stringify(value, null, 2));
}

/** True when a person is at the terminal: interactive screens only then. */
export function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI;
}
