// The language host of bench/provision.ts's "plain pulumi up" baseline: one Node process per `pulumi up`,
// as Pulumi's Node.js language host would start one per update. It loads the project's program
// (stacks/index.ts, default export), serves it on 127.0.0.1 with the Automation API's LanguageServer
// (the gRPC LanguageRuntime service the CLI calls as `--client=127.0.0.1:PORT --exec-kind auto.inline`),
// prints the port on stdout, then waits until it is told to stop (SIGTERM/SIGINT) or its parent shell
// is gone. bench/plain-up.sh starts it, runs the plain `pulumi up` against it, and stops it.
//
//   bin/node bench/plain-host.ts        → prints PORT, serves until SIGTERM
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// CommonJS internals of @pulumi/pulumi, loaded from the same module cache as the program's own
// `import '@pulumi/pulumi'`, so the runtime settings the server resets are the ones the program reads.
const grpc = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
const { LanguageServer } = require('@pulumi/pulumi/automation/server.js') as {
  LanguageServer: new (program: () => Promise<unknown>) => object;
};
const { LanguageRuntimeService } = require('@pulumi/pulumi/proto/language_grpc_pb.js') as { LanguageRuntimeService: import('@grpc/grpc-js').ServiceDefinition };
const { grpcChannelOptions } = require('@pulumi/pulumi/runtime/settings.js') as { grpcChannelOptions: Record<string, unknown> };

const program = (await import('../stacks/index.ts')).default;

const server = new grpc.Server(grpcChannelOptions);
server.addService(LanguageRuntimeService, new LanguageServer(program) as unknown as import('@grpc/grpc-js').UntypedServiceImplementation);
const port = await new Promise<number>((done, fail) =>
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? fail(err) : done(p))),
);
process.stdout.write(`${port}\n`);

const stop = () => {
  server.forceShutdown();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Never outlive the shell that started it (a killed loop must not leave hosts behind).
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 1000);
