// The desa's cloud storage: a bucket named desa-<slug> with its own access key, as Secrets in the
// platform namespace that the storage service reads: the claim (label <domain>/consumer=bucket), which
// stands for the bucket and its data and is protected, and the access (consumer=bucket-access), a copy
// of the claim's key that grants it and goes when the desa is offboarded, so the key stops working
// while the bucket stays. The key may only touch its own bucket; the quota is an annotation the
// storage service applies.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { Unit } from '../../core/inventory/model.ts';
import { BUCKET, BUCKET_ACCESS, CONSUMER, contractKeys } from '../../core/contract.ts';
import { identityLabels } from '../labels.ts';
import { keepGenerated, secretData, secretValue } from '../secrets.ts';

// The bucket's secret key, and the passwords of the desa's file space (its login and its admin), which
// share the bucket's lifecycle: granted with the access Secret, rotated together, revoked by offboarding.
export const BUCKET_GENERATED = [BUCKET.data.secretAccessKey, BUCKET.data.filesPassword, BUCKET.data.filesAdminPassword] as const;

type Metadata = { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };

export interface BucketPlan {
  bucket: string;
  metadata: Metadata;
  data: Record<string, string>;
  /**
   * The access Secret: its data is the claim's, once the claim holds its generated key. No annotations:
   * an empty map differs from the live object, which has none, at every run.
   */
  access: { metadata: Omit<Metadata, 'annotations'> };
}

export function bucketPlan(unit: Unit, domain: string, namespace: string): BucketPlan | null {
  const storage = unit.services.storage;
  if (!storage.enabled) return null;
  const k = contractKeys(domain);
  return {
    bucket: storage.bucket,
    metadata: {
      name: BUCKET.name(unit.slug),
      namespace,
      labels: { ...identityLabels(unit, domain), [k.consumer]: CONSUMER.bucket },
      annotations: { [k.quota]: storage.quota, [k.access]: BUCKET_ACCESS.name(unit.slug) },
    },
    // The access key id names the desa; only the secret key is secret.
    data: { [BUCKET.data.bucket]: storage.bucket, [BUCKET.data.accessKeyId]: storage.bucket, [BUCKET.data.policy]: `readwrite:${storage.bucket}` },
    access: {
      metadata: { name: BUCKET_ACCESS.name(unit.slug), namespace, labels: { ...identityLabels(unit, domain), [k.consumer]: CONSUMER.bucketAccess } },
    },
  };
}

export interface StorageSpaceArgs {
  unit: Unit;
  domain: string;
  namespace: string;
  provider: k8s.Provider;
  /** Replace the generated secret key with the fresh candidate in this run (desa rotate). */
  rotate?: boolean;
}

export class StorageSpace extends pulumi.ComponentResource {
  readonly bucket: string;
  readonly credentials: pulumi.Output<{ bucket: string; accessKeyId: string; secretAccessKey: string; filesPassword: string; filesAdminPassword: string }>;

  constructor(name: string, args: StorageSpaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('desa:desa:Storage', name, {}, opts);
    const plan = bucketPlan(args.unit, args.domain, args.namespace);
    if (!plan) throw new Error(`storage is not enabled for ${args.unit.slug}`);
    const secret = new k8s.core.v1.Secret(
      `${name}-credentials`,
      { metadata: plan.metadata, type: 'Opaque', data: secretData(plan.data, BUCKET_GENERATED) },
      // The claim stands for the desa's bucket and its archive: data, kept unless --delete-data.
      { parent: this, provider: args.provider, ignoreChanges: args.rotate ? [] : keepGenerated(BUCKET_GENERATED), protect: true },
    );
    // The key as granted: the claim's data, copied (base64 as it is). Not protected: offboarding deletes
    // it, and the storage service then revokes the key. A rotation changes both in the same update.
    new k8s.core.v1.Secret(
      `${name}-access`,
      { metadata: plan.access.metadata, type: 'Opaque', data: pulumi.secret(secret.data.apply((d) => Object.fromEntries(Object.values(BUCKET_ACCESS.data).map((key) => [key, d?.[key] ?? ''])))) },
      { parent: this, provider: args.provider },
    );
    this.bucket = plan.bucket;
    this.credentials = pulumi.secret(
      pulumi
        .all([secretValue(secret.data, BUCKET.data.secretAccessKey), secretValue(secret.data, BUCKET.data.filesPassword), secretValue(secret.data, BUCKET.data.filesAdminPassword)])
        .apply(([secretAccessKey, filesPassword, filesAdminPassword]) => ({ bucket: plan.bucket, accessKeyId: plan.bucket, secretAccessKey, filesPassword, filesAdminPassword })),
    );
    this.registerOutputs({ bucket: this.bucket, credentials: this.credentials });
  }
}
