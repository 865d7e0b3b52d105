import { describe, expect, it } from 'vitest';
import { MARIADB_PORT, opensidExternalPlan, opensidPlan, PROBE_PATH } from './workload.ts';

const base = { namespace: 'desa-x', labels: { 'desa.bekasikab.go.id/slug': 'x' }, image: 'opensid:test', filesSize: '5Gi', uploadsSize: '10Gi' };
const plan = opensidPlan({ ...base, database: { mode: 'deploy', image: 'mariadb:test', size: '10Gi' } });
const app = plan.deployments[0]!.spec as any;
const db = plan.statefulSets[0]!.spec as any;
const env = (c: any, name: string) => c.env.find((e: any) => e.name === name);

describe('opensidPlan (in the cluster)', () => {
  it('gives the app and the database the same credentials, from the one OpenSID Secret', () => {
    const appPw = env(app.template.spec.containers[0], 'DB_PASSWORD').valueFrom.secretKeyRef;
    const dbPw = env(db.template.spec.containers[0], 'MARIADB_PASSWORD').valueFrom.secretKeyRef;
    expect(appPw).toEqual(dbPw);
    expect(appPw).toEqual({ name: 'opensid', key: 'password' });
    expect(env(db.template.spec.containers[0], 'MARIADB_ROOT_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'opensid', key: 'rootPassword' });
    // The image's entrypoint gets what the local servers' provisioning gets: the code, identity and admin password.
    for (const [name, key] of [['OPENSID_KODE_DESA', 'code'], ['OPENSID_IDENTITY', 'identity'], ['OPENSID_ADMIN_PASSWORD', 'adminPassword']]) {
      expect(env(app.template.spec.containers[0], name!).valueFrom.secretKeyRef).toEqual({ name: 'opensid', key });
    }
    expect(plan.secrets).toEqual([]);
  });

  it('keeps desa/ and its uploads on claims of their own, and the database on its own', () => {
    expect(plan.volumeClaims.map((c) => [c.name, c.size])).toEqual([['opensid-files', '5Gi'], ['opensid-uploads', '10Gi']]);
    expect(app.template.spec.containers[0].volumeMounts).toEqual([
      { name: 'files', mountPath: '/var/www/html/desa' },
      { name: 'uploads', mountPath: '/var/www/html/desa/upload' },
    ]);
    expect(db.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(db.template.spec.containers[0].volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/mysql' }]);
  });

  it('exposes the database only inside the namespace, to the app', () => {
    const dbService = plan.services.find((s) => s.name === 'opensid-db')!;
    expect(dbService.spec.clusterIP).toBe('None');
    expect(plan.internalTraffic).toEqual([{ from: plan.podLabels, to: db.selector.matchLabels, port: MARIADB_PORT }]);
  });

  it('probes a real page (the login, answered once the database is seeded), with time for the first seeding', () => {
    const c = app.template.spec.containers[0];
    expect(PROBE_PATH).toBe('/index.php/siteman');
    for (const p of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(c[p].httpGet, p).toEqual({ path: '/index.php/siteman', port: 'http' });
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(300);
    expect(app.strategy.type).toBe('Recreate');
    expect(db.template.spec.containers[0].readinessProbe.tcpSocket.port).toBe('mysql');
  });

  it('with an existing database server: no StatefulSet, the app points at that server', () => {
    const ext = opensidPlan({ ...base, database: { mode: 'existing', host: 'mariadb.bekasikab.go.id', port: 3307 } });
    expect(ext.statefulSets).toEqual([]);
    expect(ext.services.map((s) => s.name)).toEqual(['opensid']);
    expect(ext.internalTraffic).toEqual([]);
    const c = (ext.deployments[0]!.spec as any).template.spec.containers[0];
    expect([env(c, 'DB_HOST').value, env(c, 'DB_PORT').value]).toEqual(['mariadb.bekasikab.go.id', '3307']);
  });
});

describe('opensidExternalPlan (served outside the cluster)', () => {
  it('runs nothing and names a Service without pods for the Ingress', () => {
    const p = opensidExternalPlan({ namespace: 'desa-x', labels: {} });
    expect([p.deployments, p.statefulSets, p.volumeClaims, p.configMaps, p.secrets]).toEqual([[], [], [], [], []]);
    expect(p.services[0]!.spec.selector).toBeUndefined();
    expect(p.backend).toEqual({ service: 'opensid', port: 80 });
  });
});
