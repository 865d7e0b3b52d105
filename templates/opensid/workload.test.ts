import { describe, expect, it } from 'vitest';
import { DB_SECRET_KEYS, MARIADB_PORT, opensidPlan } from './workload.ts';

const plan = opensidPlan({
  namespace: 'desa-x',
  labels: { 'desa.bekasikab.go.id/slug': 'x' },
  image: 'opensid:test',
  databaseImage: 'mariadb:test',
  filesSize: '5Gi',
  databaseSize: '10Gi',
});
const app = plan.deployments[0]!.spec as any;
const db = plan.statefulSets[0]!.spec as any;

describe('opensidPlan', () => {
  it('generates both database passwords and keeps the names plain', () => {
    expect(plan.secrets).toEqual([
      { name: 'opensid-db', labels: expect.any(Object), data: { MARIADB_DATABASE: 'opensid', MARIADB_USER: 'opensid' }, generated: [DB_SECRET_KEYS.rootPassword, DB_SECRET_KEYS.password] },
    ]);
  });

  it('gives the app and the database the same password from the Secret', () => {
    const appPw = app.template.spec.containers[0].env.find((e: any) => e.name === 'DB_PASSWORD').valueFrom.secretKeyRef;
    const dbPw = db.template.spec.containers[0].env.find((e: any) => e.name === 'MARIADB_PASSWORD').valueFrom.secretKeyRef;
    expect(appPw).toEqual(dbPw);
    expect(appPw).toEqual({ name: 'opensid-db', key: 'MARIADB_PASSWORD' });
  });

  it('persists the desa files and the database on their own claims', () => {
    expect(plan.volumeClaims).toEqual([{ name: 'opensid-files', labels: expect.any(Object), size: '5Gi' }]);
    expect(app.template.spec.volumes).toEqual([{ name: 'files', persistentVolumeClaim: { claimName: 'opensid-files' } }]);
    expect(db.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(db.template.spec.containers[0].volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/mysql' }]);
  });

  it('exposes the database only inside the namespace, to the app', () => {
    const dbService = plan.services.find((s) => s.name === 'opensid-db')!;
    expect(dbService.spec.clusterIP).toBe('None');
    expect(plan.internalTraffic).toEqual([{ from: plan.podLabels, to: db.selector.matchLabels, port: MARIADB_PORT }]);
  });

  it('probes both, and restarts the app with Recreate (one writer on the claim)', () => {
    expect(app.strategy.type).toBe('Recreate');
    expect(app.template.spec.containers[0].readinessProbe.httpGet.port).toBe('http');
    expect(db.template.spec.containers[0].readinessProbe.tcpSocket.port).toBe('mysql');
  });
});
