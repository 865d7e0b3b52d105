// Runs once around the whole suite: every temporary folder a test makes (mkdtemp(tmpdir()), in any
// worker) lands in one folder for this run, removed at the end.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'desa-tests-'));
  // The local servers' unprivileged processes (Dovecot's mail user, nginx's workers) must be able to
  // enter a test's .desa/services: every parent needs o+x (mkdtemp makes 0700).
  chmodSync(dir, 0o755);
  process.env.TMPDIR = dir;
  return () => {
    if (!process.env.DESA_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
  };
}
