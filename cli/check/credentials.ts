// The credentials `desa check` logs in with: the mailbox and bucket Secrets the stacks generated into the
// cluster's platform namespace (core/contract.ts), read in one kubectl call and decoded the way the
// services sync decodes them (cli/services/desired.ts), so the check uses exactly what the servers were
// given. The values stay in this process's memory; nothing here prints or writes them.
//
// Why not the stack outputs, as `desa credentials` reads them: those are decrypted by the Pulumi CLI, one
// process per stack with a key derived from the passphrase (PBKDF2, a million rounds, a salt per stack):
// `desa outputs SLUG --show-secrets` takes 1.7 s of CPU here, over two minutes for 187 desa on two cores,
// against a budget of 10 s for the whole check. The Secrets hold the same generated values (the stack
// writes its outputs from them).
import { CONSUMER, contractKeys } from '../../core/contract.ts';
import { desiredServices, type KubeObject } from '../services/desired.ts';
import { kubectlJson } from '../services/sync.ts';

export interface Credentials {
  /** Password by mailbox address. */
  mailboxes: Map<string, string>;
  /** Bucket access by slug. */
  buckets: Map<string, { bucket: string; accessKeyId: string; secretAccessKey: string }>;
}

/** The credentials in the platform namespace's consumer Secrets (pure). */
export function credentialsFrom(secrets: readonly KubeObject[], domain: string): Credentials {
  const d = desiredServices({ secrets: [...secrets], configMaps: [], ingresses: [] }, { domain, units: new Set(), address: '127.0.0.1', ttl: 300 });
  return {
    mailboxes: new Map(d.mailboxes.map((m) => [m.address, m.password])),
    buckets: new Map(d.buckets.map((b) => [b.slug, { bucket: b.bucket, accessKeyId: b.accessKeyId, secretAccessKey: b.secretAccessKey }])),
  };
}

/** Reads them from the cluster: the Secrets labelled <domain>/consumer=mailbox or bucket. */
export async function readCredentials(kubeconfig: string, domain: string, namespace: string, env: NodeJS.ProcessEnv): Promise<Credentials> {
  const k = contractKeys(domain);
  const secrets = await kubectlJson(kubeconfig, ['secrets', '-n', namespace, '-l', `${k.consumer} in (${CONSUMER.mailbox},${CONSUMER.bucket})`], env);
  return credentialsFrom(secrets, domain);
}
