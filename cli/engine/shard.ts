// `desa up --shard K/N` and `desa plan --shard K/N`: N runners (CI matrix jobs, Kubernetes Jobs) split the
// desa stacks between them and share one state backend. Which shard runs a stack depends only on the
// stack's name and N (rendezvous hashing: the shard whose hash of `stack#shard` is highest), so a desa
// keeps its shard when others are added to or removed from desa.yaml, and going from N to N+1 shards
// moves only the stacks the new shard takes (about 1/(N+1) of them). The platform stack belongs to shard
// 1; the stacks of desa gone from desa.yaml are offboarded by the shard their name falls to. Pure.
import { createHash } from 'node:crypto';
import { AbortError, EXIT } from '../../core/errors.ts';
import { PLATFORM_STACK } from '../../core/inventory/model.ts';
import { backendFor } from './checkpoint.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** The most shards a run can be split into: more runners than that only wait on one another. */
export const MAX_SHARDS = 256;

const usage = (given: string, why: string) =>
  new AbortError(`--shard ${given}: ${why}.`, {
    exitCode: EXIT.usage,
    nextStep: 'Write --shard K/N with whole numbers, 1 ≤ K ≤ N (for example --shard 2/3 in the second of three runners), and the same N in every runner.',
  });

/** `K/N` as typed after --shard; a usage error naming the flag otherwise. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw usage(text, 'expected K/N, the shard of this runner and the number of runners');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw usage(text, `N must be from 1 to ${MAX_SHARDS}`);
  if (index < 1 || index > count) throw usage(text, `K must be from 1 to N (${count}); shards are numbered from 1`);
  return { index, count };
}

/** --shard with --only: the runner names its stacks, so there is nothing to split. */
export function checkShardWithOnly(shard: Shard | undefined, only: readonly string[]): void {
  if (shard && only.length > 0) {
    throw new AbortError('--shard and --only cannot be used together: --only names the desa to run, --shard splits all of them between runners.', {
      exitCode: EXIT.usage,
      nextStep: 'Drop --only to run this runner\'s share of desa.yaml, or drop --shard to run the desa named.',
    });
  }
}

/**
 * Before anything runs: --shard with --only is refused, and so is a backend desa cannot read directly
 * (the shards learn from the backend alone whether the platform is in place: a folder or S3).
 */
export function checkShard(o: { shard?: Shard | undefined; only: readonly string[]; file: string; env: NodeJS.ProcessEnv }): void {
  checkShardWithOnly(o.shard, o.only);
  if (!o.shard) return;
  const b = backendFor(o.file, o.env);
  if (b.kind !== 'file' && !b.url.startsWith('s3://')) {
    throw new AbortError(`--shard needs a state backend desa can read directly, a folder (file://) or S3 (s3://), not ${b.url.replace(/\?.*$/, '')}.`, {
      exitCode: EXIT.usage,
      nextStep: 'Give every runner the same PULUMI_BACKEND_URL=s3://BUCKET?… (and AWS_* credentials), or run without --shard.',
    });
  }
}

const weight = (stack: string, k: number): bigint => createHash('sha256').update(`${stack}#${k}`).digest().readBigUInt64BE(0);

/** The shard (1..count) that runs `stack`: the platform is shard 1's; any other stack goes where its hash is highest. */
export function shardOf(stack: string, count: number): number {
  if (stack === PLATFORM_STACK || count <= 1) return 1;
  let best = 1;
  let top = -1n;
  for (let k = 1; k <= count; k++) {
    const w = weight(stack, k);
    if (w > top) [best, top] = [k, w];
  }
  return best;
}

/** The stacks of `stacks` that `shard` runs (all of them without a shard), in their order. */
export function ofShard(stacks: readonly string[], shard: Shard | undefined): string[] {
  return shard ? stacks.filter((s) => shardOf(s, shard.count) === shard.index) : [...stacks];
}

/** Whether this runner runs the platform stack: always without shards, else shard 1 only. */
export const runsPlatform = (shard: Shard | undefined): boolean => !shard || shard.index === 1;

/** What a sharded run says about its share (the summary's `shard 2/3: …` line, --json `.shard`). */
export interface ShardSummary {
  index: number;
  count: number;
  /** Desa stacks of desa.yaml this shard ran, of `of` in all. */
  desa: number;
  of: number;
  /** Stacks of desa gone from desa.yaml that this shard offboarded (previewed, for plan). */
  offboarded: number;
  /** `ran`: this shard ran the platform stack; `waited`: another shard (1) put it in place first. */
  platform: 'ran' | 'waited';
}

export function shardSummary(shard: Shard, desa: number, of: number, offboarded: number): ShardSummary {
  return { index: shard.index, count: shard.count, desa, of, offboarded, platform: runsPlatform(shard) ? 'ran' : 'waited' };
}

/** "shard 2/3: 62 of 187 desa, 1 gone from desa.yaml offboarded (the platform stack is shard 1's)." */
export function shardLine(s: ShardSummary): string {
  const off = s.offboarded > 0 ? `, ${s.offboarded} gone from desa.yaml offboarded` : '';
  const share = `${s.desa} of ${s.of} desa${off}`;
  return s.platform === 'ran' ? `shard ${s.index}/${s.count}: the platform stack and ${share}.` : `shard ${s.index}/${s.count}: ${share} (the platform stack is shard 1's).`;
}
