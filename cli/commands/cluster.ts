import { type Command, Option } from 'commander';
import { AbortError, EXIT, ReportedError } from '../../core/errors.ts';
import { emit, emitJson, log } from '../ui/output.ts';
import { fileOption, jsonOption } from './options.ts';

const nodesOption = () =>
  new Option('--nodes <n>', 'simulated (kwok) nodes to create').default('1').argParser((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 100) throw new AbortError(`--nodes must be a whole number from 1 to 100, not "${v}".`);
    return String(n);
  });

/** A path as a POSIX shell word, quoted only when it needs to be (so `eval "$(desa cluster up)"` works). */
const shellQuote = (s: string) => (/^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

export function registerCluster(program: Command): void {
  const cluster = program
    .command('cluster')
    .description('The embedded local Kubernetes control plane (etcd, kube-apiserver, kwok nodes) on 127.0.0.1.')
    .addHelpText(
      'after',
      `
Data (certificates, etcd, logs) lives in .desa/cluster/ beside desa.yaml; binaries are built once into
the cache (toolchain/build.sh cluster). Ports: DESA_CLUSTER_PORT_BASE (default 23790) and +1, +3.
Beside it run the local servers the platform points at (.desa/services/, cli/servers/):
Postfix (base+10 MX, +11 submission with STARTTLS), Dovecot (+12 IMAP with STARTTLS, +19 IMAPS), PowerDNS
(+13 DNS, +14 API), nginx (+18 HTTPS, +15 HTTP answering 301 to it), the S3 gateway (+16), OpenDKIM (+17),
MariaDB (+30) and Pebble, the local ACME CA (+20 directory, +21 management). The wildcard certificate they
serve comes from Pebble; trust .desa/services/tls/local-ca.pem (\`desa cluster status\` names it).
DESA_SERVICES=off leaves them out.

Examples:
  eval "$(desa cluster up)"    start it and point kubectl at it
  desa cluster status --json
  desa cluster down --reset    stop it and delete its data`,
    );

  cluster
    .command('up')
    .description('Build the control plane if needed (about 16 min the first time) and start it. Idempotent.')
    .addOption(fileOption())
    .addOption(nodesOption())
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Prints \`export KUBECONFIG=...\` on stdout. Exit code 0 when it runs (or already ran), 4 when it could
not be built or started (ports in use, a component that does not come up), or when an installed local
server did not start (one not installed here is listed as unavailable, not a failure).

Examples:
  desa cluster up
  DESA_CLUSTER_PORT_BASE=24790 desa cluster up --file other/desa.yaml --nodes 3`,
    )
    .action(async (opts: { file: string; nodes: string; json?: boolean }) => {
      const { clusterUp } = await import('../cluster/local-cluster.ts');
      const s = await clusterUp({ file: opts.file, nodes: Number(opts.nodes), env: process.env });
      const failed = s.servicesFailed;
      if (opts.json) emitJson({ ok: failed.length === 0, ...s });
      else {
        if (s.alreadyRunning) log.info(`The local cluster is already running (${s.apiServer}, ${s.nodes?.ready ?? 0} node(s) Ready).`);
        else log.success(`local cluster running: ${s.apiServer}, ${s.nodes?.ready ?? 0} node(s) Ready; data in ${s.dataDir}`);
        emit(`export KUBECONFIG=${shellQuote(s.kubeconfig)}`);
      }
      if (failed.length > 0) {
        throw new ReportedError(EXIT.operationFailed, `local server(s) that did not start: ${failed.map((f) => `${f.server} (${f.reason})`).join('; ')}`, 'See the logs in .desa/services/log; `desa cluster status` lists the servers.');
      }
    });

  cluster
    .command('down')
    .description('Stop the local cluster cleanly. Its data is kept unless --reset.')
    .addOption(fileOption())
    .option('--reset', 'also delete its data (certificates, etcd, logs, the servers\' data) and the OpenSID desa\'s system users: the next `up` starts empty')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Exit code 0 when it is stopped (or was not running), 4 when a component would not stop.

Examples:
  desa cluster down
  desa cluster down --reset`,
    )
    .action(async (opts: { file: string; reset?: boolean; json?: boolean }) => {
      const { clusterDown } = await import('../cluster/local-cluster.ts');
      const r = await clusterDown({ file: opts.file, reset: Boolean(opts.reset), env: process.env });
      if (opts.json) return emitJson({ ok: true, ...r });
      log.success(r.wasRunning ? 'local cluster stopped.' : 'The local cluster is not running.');
      if (r.reset) log.info(`Deleted its data (${r.dataDir}).`);
      else log.info(`Its data is kept in ${r.dataDir}; \`desa cluster up\` resumes it, \`desa cluster down --reset\` deletes it.`);
    });

  cluster
    .command('status')
    .description('Which components run, the API server, the kubeconfig, and the nodes.')
    .addOption(fileOption())
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Exit code 0 when the cluster is up (every component runs and the API server answers), 4 when it is
not (stopped, never started, or partly running).

Examples:
  desa cluster status
  desa cluster status --json | jq .nodes`,
    )
    .action(async (opts: { file: string; json?: boolean }) => {
      const [{ clusterStatus }, { formatStatus }] = await Promise.all([import('../cluster/local-cluster.ts'), import('../cluster/state.ts')]);
      const s = await clusterStatus({ file: opts.file, env: process.env });
      if (opts.json) emitJson({ ok: s.running, ...s });
      else {
        emit(formatStatus(s).join('\n'));
        if (!s.running) log.info(s.created && s.components.some((c) => c.running) ? 'Run `desa cluster up` to start what is stopped, or `desa cluster down`.' : 'Start it with `desa cluster up`.');
      }
      // A status, not an error: the report is printed either way, the exit code says whether it is up.
      if (!s.running) throw new ReportedError(EXIT.operationFailed, 'The local cluster is not running.');
    });
}
