// The e2e files run two at a time, each with its own local cluster and servers at fixed ports from its
// DESA_CLUSTER_PORT_BASE (cluster: base to base+3; servers: base+10 to base+31). Those ports must not
// overlap, and must lie below Linux's ephemeral range (32768-60999 by default): the Pulumi engine and its
// plugins listen on random ports from it, and one of them took a test cluster's port in CI.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HIGHEST_OFFSET } from '../cli/servers/ports.ts';

const TEST = join(import.meta.dirname);
const SPAN = 10 + HIGHEST_OFFSET;
const EPHEMERAL_FIRST = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

describe('the port bases of the e2e files', () => {
  const bases = readdirSync(TEST)
    .filter((f) => f.endsWith('.e2e.test.ts'))
    .flatMap((f) => [...readFileSync(join(TEST, f), 'utf8').matchAll(/DESA_CLUSTER_PORT_BASE: '(\d+)'/g)].map((m) => ({ file: f, base: Number(m[1]) })));

  it('are found', () => {
    expect(bases.length).toBeGreaterThan(8);
  });

  it('lie below the ephemeral port range, with every server port', () => {
    for (const { file, base } of bases) expect(base + SPAN, file).toBeLessThan(Math.min(EPHEMERAL_FIRST, 32768));
  });

  it('do not overlap between files', () => {
    const byBase = new Map<number, string>();
    for (const { file, base } of bases) byBase.set(base, byBase.get(base) && byBase.get(base) !== file ? `${byBase.get(base)} and ${file}` : file);
    const sorted = [...byBase.keys()].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!, `${byBase.get(sorted[i - 1]!)} / ${byBase.get(sorted[i]!)}`).toBeGreaterThan(SPAN);
    for (const [base, files] of byBase) expect(files, String(base)).not.toContain(' and ');
  });
});
