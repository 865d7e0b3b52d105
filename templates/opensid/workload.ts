// The opensid template: OpenSID (PHP) with its database, in one of two places.
// - In the cluster (`desa:opensid.mode` deploy): a Deployment of an image built from the release
//   (image/README.md), with claims for the desa's folder and its uploads, and its own MariaDB as a
//   one-replica StatefulSet, or an existing database server. The credentials are the Secret `opensid`
//   in the namespace, made by stacks/desa/opensid.ts (core/contract.ts OPENSID).
// - Outside it (existing): nothing runs in the namespace; the Ingress names a Service without pods, and
//   the server that reads the contract Secret (the local servers, cli/services/opensid.ts) serves it.
import { OPENSID } from '../../core/contract.ts';
import type { SiteContext, SitePlan } from '../plan.ts';

export const OPENSID_PORT = 80;
export const MARIADB_PORT = 3306;

/** Where the image keeps OpenSID (the web root): desa/ and desa/upload are its claims. */
export const WEB_ROOT = '/var/www/html';

/** A real page, answered by OpenSID itself once its database is seeded: the administrator's login. */
export const PROBE_PATH = OPENSID.loginPath;

export interface OpensidArgs extends SiteContext {
  image: string;
  /** deploy: a MariaDB StatefulSet in the namespace (its image and claim size); existing: a server outside. */
  database: { mode: 'deploy'; image: string; size: string } | { mode: 'existing'; host: string; port: number };
  /** Size of the claim for desa/ (configuration, themes, documents). */
  filesSize: string;
  /** Size of the claim for desa/upload (photos, letters, uploads). */
  uploadsSize: string;
}

const APP = { 'app.kubernetes.io/name': 'opensid', 'app.kubernetes.io/component': 'site' };
const DB = { 'app.kubernetes.io/name': 'mariadb', 'app.kubernetes.io/component': 'database' };
const fromSecret = (key: string) => ({ secretKeyRef: { name: OPENSID.inCluster, key } });

/** OpenSID in the cluster. */
export function opensidPlan(args: OpensidArgs): SitePlan {
  const appLabels = { ...args.labels, ...APP };
  const dbLabels = { ...args.labels, ...DB };
  const d = OPENSID.data;
  const db = args.database;
  const dbHost = db.mode === 'deploy' ? 'opensid-db' : db.host;
  const dbPort = db.mode === 'deploy' ? MARIADB_PORT : db.port;
  const httpProbe = { httpGet: { path: PROBE_PATH, port: 'http' } };

  const plan: SitePlan = {
    backend: { service: 'opensid', port: 80 },
    podLabels: APP,
    internalTraffic: db.mode === 'deploy' ? [{ from: APP, to: DB, port: MARIADB_PORT }] : [],
    configMaps: [],
    secrets: [],
    volumeClaims: [
      { name: 'opensid-files', labels: appLabels, size: args.filesSize },
      { name: 'opensid-uploads', labels: appLabels, size: args.uploadsSize },
    ],
    services: [{ name: 'opensid', labels: appLabels, spec: { selector: APP, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] } }],
    statefulSets: [],
    deployments: [
      {
        name: 'opensid',
        labels: appLabels,
        spec: {
          replicas: 1,
          // One writer on ReadWriteOnce claims: stop the old pod before starting the new one.
          strategy: { type: 'Recreate' },
          selector: { matchLabels: APP },
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
                  // What the image's entrypoint writes into desa/config and applies once the seeder ran
                  // (image/entrypoint.sh, the same provision.php as the local servers).
                  env: [
                    { name: 'DB_HOST', value: dbHost },
                    { name: 'DB_PORT', value: String(dbPort) },
                    { name: 'DB_NAME', valueFrom: fromSecret(d.database) },
                    { name: 'DB_USER', valueFrom: fromSecret(d.username) },
                    { name: 'DB_PASSWORD', valueFrom: fromSecret(d.password) },
                    { name: 'OPENSID_KODE_DESA', valueFrom: fromSecret(d.code) },
                    { name: 'OPENSID_IDENTITY', valueFrom: fromSecret(d.identity) },
                    { name: 'OPENSID_ADMIN_USERNAME', valueFrom: fromSecret(d.adminUsername) },
                    { name: 'OPENSID_ADMIN_PASSWORD', valueFrom: fromSecret(d.adminPassword) },
                  ],
                  // The first start seeds the database (OpenSID's own seeder): give it time.
                  startupProbe: { ...httpProbe, periodSeconds: 10, failureThreshold: 30 },
                  readinessProbe: { ...httpProbe, periodSeconds: 10, failureThreshold: 3 },
                  livenessProbe: { ...httpProbe, periodSeconds: 30, timeoutSeconds: 10, failureThreshold: 3 },
                  resources: {
                    requests: { cpu: '100m', memory: '256Mi', 'ephemeral-storage': '128Mi' },
                    limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '2Gi' },
                  },
                  // PHP images run Apache as root and switch to www-data: baseline, not restricted.
                  securityContext: { allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } },
                  volumeMounts: [
                    { name: 'files', mountPath: `${WEB_ROOT}/desa` },
                    { name: 'uploads', mountPath: `${WEB_ROOT}/desa/upload` },
                  ],
                },
              ],
              volumes: [
                { name: 'files', persistentVolumeClaim: { claimName: 'opensid-files' } },
                { name: 'uploads', persistentVolumeClaim: { claimName: 'opensid-uploads' } },
              ],
            },
          },
        },
      },
    ],
  };
  if (db.mode === 'existing') return plan;

  plan.services.push({
    name: 'opensid-db',
    labels: dbLabels,
    spec: { clusterIP: 'None', selector: DB, ports: [{ name: 'mysql', port: MARIADB_PORT, targetPort: 'mysql', protocol: 'TCP' }] },
  });
  plan.statefulSets.push({
    name: 'opensid-db',
    labels: dbLabels,
    spec: {
      serviceName: 'opensid-db',
      replicas: 1,
      selector: { matchLabels: DB },
      template: {
        metadata: { labels: dbLabels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'mariadb',
              image: db.image,
              ports: [{ name: 'mysql', containerPort: MARIADB_PORT, protocol: 'TCP' }],
              env: [
                { name: 'MARIADB_DATABASE', valueFrom: fromSecret(d.database) },
                { name: 'MARIADB_USER', valueFrom: fromSecret(d.username) },
                { name: 'MARIADB_PASSWORD', valueFrom: fromSecret(d.password) },
                { name: 'MARIADB_ROOT_PASSWORD', valueFrom: fromSecret(d.rootPassword) },
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
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: db.size } } },
        },
      ],
    },
  });
  return plan;
}

/**
 * OpenSID served outside the cluster: the Ingress (and so the DNS name) names a Service without pods;
 * whatever serves the host reads the contract Secret. Nothing runs in the namespace.
 */
export function opensidExternalPlan(ctx: SiteContext): SitePlan {
  const labels = { ...ctx.labels, ...APP };
  return {
    backend: { service: 'opensid', port: 80 },
    podLabels: APP,
    internalTraffic: [],
    configMaps: [],
    secrets: [],
    volumeClaims: [],
    services: [{ name: 'opensid', labels, spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } }],
    statefulSets: [],
    deployments: [],
  };
}
