// The storage service: an S3-compatible server (the Versity S3 gateway, posix backend on a volume) in
// the platform namespace, or an existing one given by its endpoint. The desa stacks' bucket Secrets
// (label <domain>/consumer=bucket) say which bucket, key and quota each desa gets; the services sync
// (cli/services/) applies them. The same gateway, at the same version, runs on loopback in the tests.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { COMMON_LABELS } from '../../core/contract.ts';
import { keepGenerated, secretData } from '../secrets.ts';
import type { Settings } from '../settings.ts';

export const S3_PORT = 7070;
const ADMIN_GENERATED = ['AWS_SECRET_ACCESS_KEY'] as const;

export function storageDeployment(settings: Settings): k8s.types.input.apps.v1.DeploymentSpec {
  const selector = { 'app.kubernetes.io/name': 'storage' };
  const fromAdmin = (key: string) => ({ secretKeyRef: { name: 'storage-admin', key } });
  return {
    replicas: 1,
    strategy: { type: 'Recreate' },
    selector: { matchLabels: selector },
    template: {
      metadata: { labels: { ...COMMON_LABELS, ...selector } },
      spec: {
        automountServiceAccountToken: false,
        containers: [
          {
            name: 'versitygw',
            image: settings.storage.image,
            // Accounts in the gateway's IAM file on the volume, re-read on every request; buckets are
            // directories (the filesystem must support xattrs, as ext4 and xfs do).
            args: ['--port', `:${S3_PORT}`, '--iam-dir', '/data/iam', '--iam-cache-disable', 'posix', '/data/buckets'],
            env: [
              { name: 'ROOT_ACCESS_KEY_ID', valueFrom: fromAdmin('AWS_ACCESS_KEY_ID') },
              { name: 'ROOT_SECRET_ACCESS_KEY', valueFrom: fromAdmin('AWS_SECRET_ACCESS_KEY') },
            ],
            ports: [{ name: 's3', containerPort: S3_PORT, protocol: 'TCP' }],
            readinessProbe: { tcpSocket: { port: 's3' }, periodSeconds: 10 },
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'storage-data' } }],
      },
    },
  };
}

export interface StorageArgs {
  settings: Settings;
  platformNamespace: k8s.core.v1.Namespace;
  provider: k8s.Provider;
}

export class Storage extends pulumi.ComponentResource {
  readonly endpoint: string;

  constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super('desa:platform:Storage', name, {}, opts);
    const { settings, provider } = args;
    const ns = settings.platformNamespace;
    if (settings.storage.mode === 'deploy') {
      const child = { parent: this, provider, dependsOn: [args.platformNamespace] };
      const meta = (n: string) => ({ name: n, namespace: ns, labels: { ...COMMON_LABELS, 'app.kubernetes.io/name': 'storage' } });
      const admin = new k8s.core.v1.Secret(
        `${name}-admin`,
        { metadata: meta('storage-admin'), type: 'Opaque', data: secretData({ AWS_ACCESS_KEY_ID: 'desa-platform-admin' }, ADMIN_GENERATED) },
        { ...child, ignoreChanges: keepGenerated(ADMIN_GENERATED) },
      );
      const pvc = new k8s.core.v1.PersistentVolumeClaim(
        `${name}-data`,
        { metadata: meta('storage-data'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: settings.storage.size } } } },
        { ...child, protect: true },
      );
      new k8s.apps.v1.Deployment(`${name}-server`, { metadata: meta('storage'), spec: storageDeployment(settings) }, {
        ...child,
        dependsOn: [args.platformNamespace, admin, pvc],
      });
      new k8s.core.v1.Service(
        `${name}-service`,
        {
          metadata: meta('storage'),
          spec: { selector: { 'app.kubernetes.io/name': 'storage' }, ports: [{ name: 's3', port: S3_PORT, targetPort: 's3', protocol: 'TCP' }] },
        },
        child,
      );
    }
    this.endpoint = settings.storage.mode === 'deploy' ? `http://storage.${ns}.svc.cluster.local:${S3_PORT}` : settings.storage.endpoint!;
    this.registerOutputs({ endpoint: this.endpoint });
  }
}
