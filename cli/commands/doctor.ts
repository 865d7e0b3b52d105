import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { EXIT, ReportedError } from '../../core/errors.ts';
import { emit, emitJson, log } from '../ui/output.ts';
import { fileOption, jsonOption } from './options.ts';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('Check the tools desa needs: what was found, its version and where, and what to do about the rest.')
    .addOption(fileOption())
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Looks for the project's Node.js 24, the Pulumi CLI (PATH, else the cache build), the kubernetes resource
plugin at the version @pulumi/kubernetes needs, the local cluster's binaries, Go and Chromium, and says
whether the local cluster of --file runs. Changes nothing.
Exit code 0 when everything \`desa up\` needs is present, 4 when something is missing.

Examples:
  desa doctor
  desa doctor --json | jq '.tools[] | select(.found | not)'`,
    )
    .action(async (opts: { file: string; json?: boolean }) => {
      const [{ findTools, formatTools, verdict }, { clusterStatus }, { localCaLine }] = await Promise.all([
        import('../toolchain/doctor.ts'),
        import('../cluster/local-cluster.ts'),
        import('../cluster/state.ts'),
      ]);
      const [tools, cluster] = await Promise.all([
        findTools(),
        existsSync(opts.file) ? clusterStatus({ file: opts.file, env: process.env }) : Promise.resolve(null),
      ]);
      const { ok, missing } = verdict(tools);
      if (opts.json) emitJson({ ok, missing, tools, cluster });
      else {
        emit(formatTools(tools).join('\n'));
        emit(
          cluster === null
            ? `local cluster: no ${opts.file} here (pass --file to check its cluster)`
            : cluster.running
              ? `local cluster: running at ${cluster.apiServer} (${cluster.nodes?.ready ?? 0} node(s) Ready); export KUBECONFIG=${cluster.kubeconfig}`
              : `local cluster: ${cluster.problem}; start it with \`desa cluster up\``,
        );
        if (cluster?.localCa) emit(localCaLine(cluster.localCa));
        if (ok) log.success('Everything `desa up` needs is here.');
      }
      // A report, not an error: it is printed either way, the exit code says whether desa up can run.
      if (!ok) throw new ReportedError(EXIT.operationFailed, `missing for \`desa up\`: ${missing.join(', ')} (see → above).`);
    });
}
