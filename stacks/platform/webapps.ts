// What village staff open in a browser, deployed in the cluster (deploy mode): Roundcube at
// webmail.<domain>, logging in to the cluster's mail server over IMAPS and sending through submission
// with STARTTLS, both verified for the mail host; and SFTPGo at files.<domain> (web client, WebDAV under
// /dav) with its data volume. Both behind the ingress controller with the wildcard certificate (no
// secretName: Traefik's default TLS store), published by ExternalDNS from the Ingress. Generated keys live
// in Secrets and reach the containers through secretKeyRef, never as plain env values. On the local
// default (mode existing) the local nginx serves both and nothing is created here.
// The *Plan functions are pure; the components only create what they return.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { COMMON_LABELS, filesHost, webmailHost } from '../../core/contract.ts';
import { keepGenerated, randomPassword, secretData } from '../secrets.ts';
import type { PlatformRefs, Settings } from '../settings.ts';

type Annotations = Record<string, string>;

/** An Ingress for one host of the platform, as the desa Ingresses are made (stacks/desa/subdomain.ts). */
export function appIngress(refs: PlatformRefs, host: string, paths: { path: string; service: string; port: number }[]) {
  const annotations: Annotations = {
    'external-dns.alpha.kubernetes.io/hostname': host,
    'external-dns.alpha.kubernetes.io/ttl': String(refs.dnsTtl),
    'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
    'traefik.ingress.kubernetes.io/router.tls': 'true',
  };
  if (!refs.ingress.publishesStatus) annotations['pulumi.com/skipAwait'] = 'true';
  return {
    annotations,
    spec: {
      ingressClassName: refs.ingress.className,
      // No secretName: the controller's default certificate, the platform's wildcard, covers the host.
      tls: [{ hosts: [host] }],
      rules: [
        {
          host,
          http: { paths: paths.map((p) => ({ path: p.path, pathType: 'Prefix', backend: { service: { name: p.service, port: { number: p.port } } } })) },
        },
      ],
    },
  };
}

/** Where Roundcube reaches the mail server: the in-cluster Service when deployed here, else the mail host. */
export function webmailMailServer(settings: Settings, refs: PlatformRefs): string {
  return settings.mail.mode === 'deploy' ? `mail.${refs.namespace}.svc.cluster.local` : refs.mailHost;
}

/**
 * Roundcube's own settings (a PHP file the image includes after its generated config): IMAPS and
 * submission with STARTTLS, the certificate verified for the mail host even when connecting to the
 * in-cluster Service name; the Indonesian interface; `<slug>.<role>` completed with the domain; no
 * plugins (the password plugin stays off: desa generates and rotates passwords). The DES key comes from
 * the environment, which a Secret fills.
 */
export function webmailConfigPhp(settings: Settings, refs: PlatformRefs, domain: string): string {
  const server = webmailMailServer(settings, refs);
  const tls = `['ssl' => ['verify_peer' => true, 'verify_peer_name' => true, 'peer_name' => '${refs.mailHost}']]`;
  return [
    '<?php',
    `$config['imap_host'] = 'ssl://${server}:993';`,
    `$config['imap_conn_options'] = ${tls};`,
    `$config['smtp_host'] = 'tls://${server}:587';`,
    `$config['smtp_conn_options'] = ${tls};`,
    `$config['smtp_user'] = '%u';`,
    `$config['smtp_pass'] = '%p';`,
    `$config['username_domain'] = '${domain}';`,
    `$config['mail_domain'] = '${domain}';`,
    `$config['language'] = 'id_ID';`,
    `$config['product_name'] = 'Webmail Desa';`,
    `$config['plugins'] = [];`,
    `$config['des_key'] = getenv('ROUNDCUBEMAIL_DES_KEY');`,
    `$config['use_https'] = true;`,
    '',
  ].join('\n');
}

export const WEBMAIL = { name: 'webmail', secret: 'webmail-secret', config: 'webmail-config', data: 'webmail-data', port: 80 } as const;
export const FILES = { name: 'files', secret: 'files-admin', data: 'files-data', httpPort: 8080, davPort: 8090 } as const;
const WEBMAIL_GENERATED = ['desKey'] as const;
const FILES_GENERATED = ['password'] as const;

export function webmailDeployment(settings: Settings): k8s.types.input.apps.v1.DeploymentSpec {
  const selector = { 'app.kubernetes.io/name': WEBMAIL.name };
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
            name: 'roundcube',
            image: settings.webmail.image,
            env: [
              { name: 'ROUNDCUBEMAIL_DB_TYPE', value: 'sqlite' },
              { name: 'ROUNDCUBEMAIL_SKIN', value: 'elastic' },
              { name: 'ROUNDCUBEMAIL_UPLOAD_MAX_FILESIZE', value: '25M' },
              { name: 'ROUNDCUBEMAIL_DES_KEY', valueFrom: { secretKeyRef: { name: WEBMAIL.secret, key: 'desKey' } } },
            ],
            ports: [{ name: 'http', containerPort: WEBMAIL.port, protocol: 'TCP' }],
            readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 10 },
            volumeMounts: [
              { name: 'data', mountPath: '/var/roundcube/db' },
              { name: 'config', mountPath: '/var/roundcube/config', readOnly: true },
            ],
          },
        ],
        volumes: [
          { name: 'data', persistentVolumeClaim: { claimName: WEBMAIL.data } },
          { name: 'config', configMap: { name: WEBMAIL.config } },
        ],
      },
    },
  };
}

export function filesDeployment(settings: Settings): k8s.types.input.apps.v1.DeploymentSpec {
  const selector = { 'app.kubernetes.io/name': FILES.name };
  const fromAdmin = (key: string) => ({ secretKeyRef: { name: FILES.secret, key } });
  return {
    replicas: 1,
    strategy: { type: 'Recreate' },
    selector: { matchLabels: selector },
    template: {
      metadata: { labels: { ...COMMON_LABELS, ...selector } },
      spec: {
        automountServiceAccountToken: false,
        // The image runs as uid/gid 1000; the volume is made writable for it.
        securityContext: { fsGroup: 1000 },
        containers: [
          {
            name: 'sftpgo',
            image: settings.files.image,
            env: [
              { name: 'SFTPGO_HTTPD__BINDINGS__0__PORT', value: String(FILES.httpPort) },
              { name: 'SFTPGO_WEBDAVD__BINDINGS__0__PORT', value: String(FILES.davPort) },
              { name: 'SFTPGO_WEBDAVD__BINDINGS__0__PREFIX', value: '/dav' },
              // Behind the ingress controller: the client's address from X-Forwarded-For, trusted from the
              // cluster's private ranges only (keys of sftpgo.json's httpd.bindings in v2.7.5).
              { name: 'SFTPGO_HTTPD__BINDINGS__0__PROXY_ALLOWED', value: '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16' },
              { name: 'SFTPGO_HTTPD__BINDINGS__0__CLIENT_IP_PROXY_HEADER', value: 'X-Forwarded-For' },
              { name: 'SFTPGO_DATA_PROVIDER__CREATE_DEFAULT_ADMIN', value: 'true' },
              { name: 'SFTPGO_DEFAULT_ADMIN_USERNAME', valueFrom: fromAdmin('username') },
              { name: 'SFTPGO_DEFAULT_ADMIN_PASSWORD', valueFrom: fromAdmin('password') },
            ],
            ports: [
              { name: 'http', containerPort: FILES.httpPort, protocol: 'TCP' },
              { name: 'webdav', containerPort: FILES.davPort, protocol: 'TCP' },
            ],
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
            volumeMounts: [
              // The image's users_base_dir, and its SQLite data provider's home.
              { name: 'data', mountPath: '/srv/sftpgo/data', subPath: 'data' },
              { name: 'data', mountPath: '/var/lib/sftpgo', subPath: 'state' },
            ],
          },
        ],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: FILES.data } }],
      },
    },
  };
}

export interface WebAppsArgs {
  settings: Settings;
  refs: PlatformRefs;
  domain: string;
  platformNamespace: k8s.core.v1.Namespace;
  provider: k8s.Provider;
}

type Child = { parent: pulumi.Resource; provider: k8s.Provider; dependsOn: pulumi.Resource[] };

/** The metadata of one web app's objects: in the platform namespace, labelled with the app's name. */
const appMeta = (refs: PlatformRefs, app: string) => (n: string) => ({ name: n, namespace: refs.namespace, labels: { ...COMMON_LABELS, 'app.kubernetes.io/name': app } });

/** A web app's data volume: protected, its data outlives a change of the Deployment. */
function dataClaim(name: string, metadata: ReturnType<ReturnType<typeof appMeta>>, size: string, child: Child): k8s.core.v1.PersistentVolumeClaim {
  return new k8s.core.v1.PersistentVolumeClaim(`${name}-data`, { metadata, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } }, { ...child, protect: true });
}

/** A web app's Service (its named ports) and its Ingress at `host` (the paths to those ports). */
function frontDoor(name: string, app: string, refs: PlatformRefs, host: string, ports: { name: string; port: number }[], paths: { path: string; port: number }[], child: Child): void {
  const meta = appMeta(refs, app)(app);
  new k8s.core.v1.Service(
    `${name}-service`,
    {
      metadata: { ...meta, annotations: { 'pulumi.com/skipAwait': 'true' } },
      spec: { selector: { 'app.kubernetes.io/name': app }, ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: 'TCP' })) },
    },
    child,
  );
  const ingress = appIngress(refs, host, paths.map((p) => ({ path: p.path, service: app, port: p.port })));
  new k8s.networking.v1.Ingress(`${name}-ingress`, { metadata: { ...meta, annotations: ingress.annotations }, spec: ingress.spec }, child);
}

/** Roundcube (`desa:platform:Webmail`): Secret, ConfigMap, data volume, Deployment, Service, Ingress. */
export class Webmail extends pulumi.ComponentResource {
  readonly url: string;

  constructor(name: string, args: WebAppsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('desa:platform:Webmail', name, {}, opts);
    const { settings, refs, domain, provider } = args;
    const host = webmailHost(domain);
    if (settings.webmail.mode === 'deploy') {
      const child: Child = { parent: this, provider, dependsOn: [args.platformNamespace] };
      const meta = appMeta(refs, WEBMAIL.name);
      const secret = new k8s.core.v1.Secret(
        `${name}-secret`,
        { metadata: meta(WEBMAIL.secret), type: 'Opaque', data: secretData({}, WEBMAIL_GENERATED, { desKey: () => randomPassword(24) }) },
        { ...child, ignoreChanges: keepGenerated(WEBMAIL_GENERATED) },
      );
      const config = new k8s.core.v1.ConfigMap(`${name}-config`, { metadata: meta(WEBMAIL.config), data: { 'desa.php': webmailConfigPhp(settings, refs, domain) } }, child);
      const pvc = dataClaim(name, meta(WEBMAIL.data), settings.webmail.size, child);
      new k8s.apps.v1.Deployment(`${name}-server`, { metadata: meta(WEBMAIL.name), spec: webmailDeployment(settings) }, { ...child, dependsOn: [args.platformNamespace, secret, config, pvc] });
      frontDoor(name, WEBMAIL.name, refs, host, [{ name: 'http', port: WEBMAIL.port }], [{ path: '/', port: WEBMAIL.port }], child);
    }
    this.url = `https://${host}/`;
    this.registerOutputs({ url: this.url });
  }
}

/** SFTPGo (`desa:platform:Files`): admin Secret, data volume, Deployment, Service, Ingress (web client at /, WebDAV at /dav). */
export class Files extends pulumi.ComponentResource {
  readonly url: string;

  constructor(name: string, args: WebAppsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('desa:platform:Files', name, {}, opts);
    const { settings, refs, domain, provider } = args;
    const host = filesHost(domain);
    if (settings.files.mode === 'deploy') {
      const child: Child = { parent: this, provider, dependsOn: [args.platformNamespace] };
      const meta = appMeta(refs, FILES.name);
      const admin = new k8s.core.v1.Secret(
        `${name}-admin`,
        { metadata: meta(FILES.secret), type: 'Opaque', data: secretData({ username: 'desa-admin' }, FILES_GENERATED) },
        { ...child, ignoreChanges: keepGenerated(FILES_GENERATED) },
      );
      const pvc = dataClaim(name, meta(FILES.data), settings.files.size, child);
      new k8s.apps.v1.Deployment(`${name}-server`, { metadata: meta(FILES.name), spec: filesDeployment(settings) }, { ...child, dependsOn: [args.platformNamespace, admin, pvc] });
      const ports = [{ name: 'http', port: FILES.httpPort }, { name: 'webdav', port: FILES.davPort }];
      frontDoor(name, FILES.name, refs, host, ports, [{ path: '/dav', port: FILES.davPort }, { path: '/', port: FILES.httpPort }], child);
    }
    this.url = `https://${host}/`;
    this.registerOutputs({ url: this.url });
  }
}
