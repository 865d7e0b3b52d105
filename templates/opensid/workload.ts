// The opensid template: OpenSID (PHP) with its own MariaDB. The database runs as a one-replica
// StatefulSet with its own volume claim; the app keeps the desa's files (`desa/`: configuration,
// uploads) on a claim of its own. Database credentials are generated once and kept (see stacks/README.md).
import type { SiteContext, SitePlan } from '../plan.ts';

export const OPENSID_PORT = 80;
export const MARIADB_PORT = 3306;

export interface OpensidArgs extends SiteContext {
  image: string;
  databaseImage: string;
  /** Size of the claim for the desa's files. */
  filesSize: string;
  /** Size of the database claim. */
  databaseSize: string;
}

export const DB_SECRET_KEYS = { rootPassword: 'MARIADB_ROOT_PASSWORD', password: 'MARIADB_PASSWORD' } as const;

export function opensidPlan(args: OpensidArgs): SitePlan {
  const app = { 'app.kubernetes.io/name': 'opensid', 'app.kubernetes.io/component': 'site' };
  const db = { 'app.kubernetes.io/name': 'mariadb', 'app.kubernetes.io/component': 'database' };
  const appLabels = { ...args.labels, ...app };
  const dbLabels = { ...args.labels, ...db };
  const secret = 'opensid-db';
  const fromSecret = (key: string) => ({ secretKeyRef: { name: secret, key } });

  return {
    backend: { service: 'opensid', port: 80 },
    podLabels: app,
    internalTraffic: [{ from: app, to: db, port: MARIADB_PORT }],
    configMaps: [],
    secrets: [
      {
        name: secret,
        labels: dbLabels,
        data: { MARIADB_DATABASE: 'opensid', MARIADB_USER: 'opensid' },
        generated: [DB_SECRET_KEYS.rootPassword, DB_SECRET_KEYS.password],
      },
    ],
    volumeClaims: [{ name: 'opensid-files', labels: appLabels, size: args.filesSize }],
    services: [
      {
        name: 'opensid',
        labels: appLabels,
        spec: { selector: app, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
      },
      {
        name: 'opensid-db',
        labels: dbLabels,
        spec: {
          clusterIP: 'None',
          selector: db,
          ports: [{ name: 'mysql', port: MARIADB_PORT, targetPort: 'mysql', protocol: 'TCP' }],
        },
      },
    ],
    statefulSets: [
      {
        name: 'opensid-db',
        labels: dbLabels,
        spec: {
          serviceName: 'opensid-db',
          replicas: 1,
          selector: { matchLabels: db },
          template: {
            metadata: { labels: dbLabels },
            spec: {
              automountServiceAccountToken: false,
              securityContext: { fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'mariadb',
                  image: args.databaseImage,
                  ports: [{ name: 'mysql', containerPort: MARIADB_PORT, protocol: 'TCP' }],
                  env: [
                    { name: 'MARIADB_DATABASE', valueFrom: fromSecret('MARIADB_DATABASE') },
                    { name: 'MARIADB_USER', valueFrom: fromSecret('MARIADB_USER') },
                    { name: 'MARIADB_PASSWORD', valueFrom: fromSecret(DB_SECRET_KEYS.password) },
                    { name: 'MARIADB_ROOT_PASSWORD', valueFrom: fromSecret(DB_SECRET_KEYS.rootPassword) },
                  ],
                  readinessProbe: { tcpSocket: { port: 'mysql' }, periodSeconds: 10 },
                  livenessProbe: { tcpSocket: { port: 'mysql' }, initialDelaySeconds: 30, periodSeconds: 30 },
                  resources: {
                    requests: { cpu: '100m', memory: '256Mi', 'ephemeral-storage': '64Mi' },
                    limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '1Gi' },
                  },
                  // The official image starts as root and drops to the mysql user itself.
                  securityContext: { allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } },
                  volumeMounts: [{ name: 'data', mountPath: '/var/lib/mysql' }],
                },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: 'data', labels: dbLabels },
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: args.databaseSize } } },
            },
          ],
        },
      },
    ],
    deployments: [
      {
        name: 'opensid',
        labels: appLabels,
        spec: {
          replicas: 1,
          // One writer on a ReadWriteOnce claim: stop the old pod before starting the new one.
          strategy: { type: 'Recreate' },
          selector: { matchLabels: app },
          template: {
            metadata: { labels: appLabels },
            spec: {
              automountServiceAccountToken: false,
              securityContext: { fsGroup: 33, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'opensid',
                  image: args.image,
                  ports: [{ name: 'http', containerPort: OPENSID_PORT, protocol: 'TCP' }],
                  env: [
                    { name: 'DB_HOST', value: 'opensid-db' },
                    { name: 'DB_PORT', value: String(MARIADB_PORT) },
                    { name: 'DB_NAME', valueFrom: fromSecret('MARIADB_DATABASE') },
                    { name: 'DB_USER', valueFrom: fromSecret('MARIADB_USER') },
                    { name: 'DB_PASSWORD', valueFrom: fromSecret(DB_SECRET_KEYS.password) },
                  ],
                  readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 10, failureThreshold: 6 },
                  livenessProbe: { tcpSocket: { port: 'http' }, initialDelaySeconds: 30, periodSeconds: 30 },
                  resources: {
                    requests: { cpu: '100m', memory: '256Mi', 'ephemeral-storage': '128Mi' },
                    limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '2Gi' },
                  },
                  // PHP images run Apache as root and switch to www-data: baseline, not restricted.
                  securityContext: { allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } },
                  volumeMounts: [{ name: 'files', mountPath: '/var/www/html/desa' }],
                },
              ],
              volumes: [{ name: 'files', persistentVolumeClaim: { claimName: 'opensid-files' } }],
            },
          },
        },
      },
    ],
  };
}
