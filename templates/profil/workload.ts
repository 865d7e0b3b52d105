// The profil template: the page from render.ts in a ConfigMap, served by unprivileged nginx on 8080
// with a read-only root filesystem. A hash of the content in the pod template rolls the pods when the
// page changes.
import { createHash } from 'node:crypto';
import { SITE_PAGE } from '../../core/contract.ts';
import type { SiteContext, SitePlan } from '../plan.ts';
import { restrictedContainer } from '../plan.ts';

export const PROFIL_PORT = 8080;
/** uid/gid of the nginx user in the nginx-unprivileged images. */
const NGINX_UID = 101;

/** nginx server block: static files only, strict headers. The page has inline CSS and nothing else. */
export const NGINX_CONF = `server {
    listen ${PROFIL_PORT};
    server_name _;
    root /usr/share/nginx/html;
    server_tokens off;
    add_header Content-Security-Policy "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'" always;
    add_header X-Content-Type-Options nosniff always;
    add_header Referrer-Policy no-referrer always;
    location / {
        try_files $uri $uri/ =404;
    }
}
`;

export interface ProfilArgs extends SiteContext {
  html: string;
  image: string;
}

export function contentHash(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
}

export function profilPlan(args: ProfilArgs): SitePlan {
  const labels = { ...args.labels, 'app.kubernetes.io/name': 'profil', 'app.kubernetes.io/component': 'site' };
  const selector = { 'app.kubernetes.io/name': 'profil', 'app.kubernetes.io/component': 'site' };
  const name = 'profil';
  return {
    backend: { service: name, port: 80 },
    podLabels: selector,
    internalTraffic: [],
    // The page's name and key are the contract's: the services sync serves the same page (core/contract.ts).
    configMaps: [{ name: SITE_PAGE.name, labels, data: { [SITE_PAGE.data.page]: args.html, 'default.conf': NGINX_CONF } }],
    secrets: [],
    volumeClaims: [],
    services: [
      {
        name,
        labels,
        spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
      },
    ],
    statefulSets: [],
    deployments: [
      {
        name,
        labels,
        spec: {
          replicas: 1,
          selector: { matchLabels: selector },
          template: {
            metadata: {
              labels,
              annotations: { 'checksum/content': contentHash(args.html, NGINX_CONF) },
            },
            spec: {
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, fsGroup: NGINX_UID, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'nginx',
                  image: args.image,
                  ports: [{ name: 'http', containerPort: PROFIL_PORT, protocol: 'TCP' }],
                  readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
                  livenessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 30, failureThreshold: 3 },
                  resources: {
                    requests: { cpu: '20m', memory: '32Mi', 'ephemeral-storage': '16Mi' },
                    limits: { cpu: '200m', memory: '64Mi', 'ephemeral-storage': '64Mi' },
                  },
                  securityContext: { ...restrictedContainer(NGINX_UID), readOnlyRootFilesystem: true },
                  volumeMounts: [
                    { name: 'html', mountPath: '/usr/share/nginx/html', readOnly: true },
                    { name: 'conf', mountPath: '/etc/nginx/conf.d', readOnly: true },
                    { name: 'tmp', mountPath: '/tmp' },
                  ],
                },
              ],
              volumes: [
                { name: 'html', configMap: { name: SITE_PAGE.name, items: [{ key: SITE_PAGE.data.page, path: 'index.html' }] } },
                { name: 'conf', configMap: { name: SITE_PAGE.name, items: [{ key: 'default.conf', path: 'default.conf' }] } },
                { name: 'tmp', emptyDir: { sizeLimit: '32Mi' } },
              ],
            },
          },
        },
      },
    ],
  };
}
