// Runs once around the whole suite: every temporary folder a test makes (mkdtemp(tmpdir()), in any
// worker) lands in one folder for this run, removed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'desa-tests-'));
  process.env.TMPDIR = dir;
  return () => {
    if (!process.env.DESA_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
  };
}
