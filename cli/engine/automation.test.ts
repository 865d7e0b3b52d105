// The Automation API adapter against the real Pulumi CLI of the toolchain: what a program hosted in desa's
// process sends the engine, as the engine reports it back in its events.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '@pulumi/pulumi/automation/index.js';
import { findEngine, openStack, runOperation } from './automation.ts';
import { stateDirs } from '../paths.ts';

describe('a program hosted by desa', () => {
  it("reaches the engine with its resources, warnings and info, without the SDK's debug messages", async () => {
    const pulumi = await import('@pulumi/pulumi');
    const engine = await findEngine();
    const root = mkdtempSync(join(tmpdir(), 'desa-quiet-'));
    const env: NodeJS.ProcessEnv = { ...process.env, DESA_STATE_DIR: join(root, '.desa') };
    delete env.PULUMI_BACKEND_URL;
    const program = async () => {
      // Each registration is where the SDK's runtime logs its debug messages ("Registering resource …").
      const parent = new pulumi.ComponentResource('desa:test:Parent', 'induk');
      new pulumi.ComponentResource('desa:test:Child', 'anak', {}, { parent });
      pulumi.log.warn('peringatan dari program');
      pulumi.log.info('keterangan dari program');
      return { n: 1 };
    };
    const stack = await openStack({ dirs: stateDirs(join(root, 'desa.yaml'), env), engine, env, program, stack: 'quiet', exists: false });
    const events: EngineEvent[] = [];
    const r = await runOperation(stack, 'up', { onEvent: (e) => events.push(e) });
    expect(r.ok).toBe(true);
    expect(r.changes?.create).toBe(3); // the stack and the two components

    const diagnostics = events.flatMap((e) => (e.diagnosticEvent ? [e.diagnosticEvent] : []));
    const said = (severity: string) => diagnostics.filter((d) => d.severity === severity).map((d) => d.message.trim());
    expect(said('warning')).toContain('peringatan dari program');
    expect(said('info')).toContain('keterangan dari program');
    expect(said('debug')).toEqual([]);
    expect((await runOperation(stack, 'destroy')).ok).toBe(true);
  });
});
