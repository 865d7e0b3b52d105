// Loads stacks/index.ts the way the Pulumi Node.js language host does for `main: stacks/index.ts`:
// @pulumi/pulumi's cmd/run/run.js with --pwd <root>/stacks and entry point index.ts, in plain Node 24
// (type stripping, no ts-node, no vitest transform), against the mock monitor. Prints one JSON line.
//   node stacks/testing/load-entry.ts <stack> '<config json>'
import Module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// As cmd/run/index.js does with the host's --root-directory (the directory of Pulumi.yaml), when asked.
if (process.env.DESA_TEST_ROOT_DIRECTORY) process.env.PULUMI_NODEJS_ROOT_DIRECTORY = process.env.DESA_TEST_ROOT_DIRECTORY;
const pulumi = require('@pulumi/pulumi') as typeof import('@pulumi/pulumi');
// run.js requires its package's index.js only for an exit-code constant; index.js would start the real
// CLI (and ask for --monitor), so a stub stands in for it in the module cache.
const index = require.resolve('@pulumi/pulumi/cmd/run/index.js');
const stub = new Module(index);
stub.filename = index;
stub.loaded = true;
stub.exports = { nodeJSProcessExitedAfterLoggingUserActionableMessage: 32 };
require.cache[index] = stub;
const { run } = require('@pulumi/pulumi/cmd/run/run.js') as {
  run: (argv: Record<string, unknown>, started: () => void, logged: (e: Error) => void, reported: (e: Error) => boolean) => Promise<unknown>;
};

const [stack = 'sumberjaya', configJson = '{}'] = process.argv.slice(2);
const stacksDir = fileURLToPath(new URL('..', import.meta.url));
const types: string[] = [];
pulumi.runtime.setAllConfig(JSON.parse(configJson), ['desa:dnsTsigSecret']);
await pulumi.runtime.setMocks(
  {
    newResource(a) {
      types.push(a.type);
      return { id: `${a.name}-id`, state: a.inputs };
    },
    call: (a) => a.inputs,
  },
  'desa',
  stack,
  false,
);

try {
  // What the language host passes: getPwdMain() turns `main: stacks/index.ts` into pwd=stacks, entry=index.ts.
  const outputs = (await run({ _: ['index.ts'], pwd: stacksDir }, () => {}, () => {}, () => false)) as Record<string, unknown>;
  await (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
  const keys = Object.keys(outputs ?? {}).sort();
  const host = (outputs as { host?: unknown })?.host ?? null;
  console.log(JSON.stringify({ ok: true, cwd: process.cwd(), keys, host, types: [...new Set(types)].sort() }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: (e as Error).message }));
}
