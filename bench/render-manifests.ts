// The Kubernetes objects of stacks, rendered without the engine, for the `kubectl apply --server-side`
// floor of bench/provision.ts. Each stack's program (stacks/index.ts, default export) runs under
// Pulumi's mock runtime (test/fixtures/pulumi-mocks.ts), which records every resource with its inputs; each
// kubernetes resource becomes one YAML file in OUT/<stack>/, numbered so that `kubectl apply -f DIR`
// (files in name order) creates Namespaces before everything else. Secret values are the mock run's.
//
//   bin/node bench/render-manifests.ts OUT CONFIG_JSON STACK...
// CONFIG_JSON: the stack configuration as the engine would pass it (key → string; objects as JSON).
// Prints one JSON line on stdout: { stacks: { <stack>: <objects written> }, kinds: [...] }.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { installMocks } from '../test/fixtures/pulumi-mocks.ts';

const [out, configJson, ...stacks] = process.argv.slice(2);
if (!out || !configJson || stacks.length === 0) {
  process.stderr.write('usage: render-manifests.ts OUT CONFIG_JSON STACK...\n');
  process.exit(2);
}
const config = JSON.parse(configJson) as Record<string, string>;

// Kinds every other object may live in or refer to: applied first, in this order.
const FIRST = ['Namespace', 'ServiceAccount', 'ConfigMap', 'Secret'];
const rank = (kind: string) => (FIRST.includes(kind) ? FIRST.indexOf(kind) : FIRST.length);

/** A resource's inputs as a manifest: apiVersion, kind, metadata, then whatever else it has (spec, data…). */
function manifest(inputs: Record<string, any>): Record<string, any> {
  const { apiVersion, kind, metadata, ...rest } = inputs;
  const body: Record<string, any> = { apiVersion, kind, metadata };
  for (const [k, v] of Object.entries(rest)) if (v !== undefined && v !== null) body[k] = v;
  return body;
}

const counts: Record<string, number> = {};
const kinds = new Set<string>();
// One program after another in this process: each installMocks resets the runtime for its stack.
for (const stack of stacks) {
  const run = installMocks(stack, config);
  // Imported once (module cache); main() reads the stack name and config again on every call.
  const { default: main } = await import('../stacks/index.ts');
  await main();
  await run.settle();
  const objects = run.resources
    .filter((r) => r.custom && r.type.startsWith('kubernetes:'))
    .map((r) => manifest(r.inputs))
    .sort((a, b) => rank(a.kind) - rank(b.kind));
  const dir = join(out, stack);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  objects.forEach((o, i) => {
    if (!o.apiVersion || !o.kind || !o.metadata?.name) throw new Error(`${stack}: a resource without apiVersion/kind/metadata.name: ${JSON.stringify(o).slice(0, 200)}`);
    kinds.add(o.kind);
    const file = `${String(i).padStart(3, '0')}-${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;
    writeFileSync(join(dir, file), stringify(o, { lineWidth: 0 }));
  });
  counts[stack] = objects.length;
}
process.stdout.write(`${JSON.stringify({ stacks: counts, kinds: [...kinds].sort() })}\n`);
