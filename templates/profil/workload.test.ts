import { describe, expect, it } from 'vitest';
import { contentHash, NGINX_CONF, PROFIL_PORT, profilPlan } from './workload.ts';

const ctx = { namespace: 'desa-x', labels: { 'desa.bekasikab.go.id/slug': 'x' } };
const plan = profilPlan({ ...ctx, html: '<p>halo</p>', image: 'nginx-unprivileged:test' });
const deployment = plan.deployments[0]!.spec as any;
const pod = deployment.template.spec;
const container = pod.containers[0];

describe('profilPlan', () => {
  it('puts the page and the server block in one ConfigMap', () => {
    expect(plan.configMaps).toEqual([{ name: 'profil-content', labels: expect.any(Object), data: { 'index.html': '<p>halo</p>', 'default.conf': NGINX_CONF } }]);
    expect(NGINX_CONF).toContain(`listen ${PROFIL_PORT};`);
    expect(NGINX_CONF).toContain("Content-Security-Policy \"default-src 'none'");
  });

  it('serves it unprivileged, read-only, with a readiness probe on the page', () => {
    expect(container.image).toBe('nginx-unprivileged:test');
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/', port: 'http' });
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/usr/share/nginx/html', '/etc/nginx/conf.d', '/tmp']);
  });

  it('rolls the pods when the page changes', () => {
    const other = profilPlan({ ...ctx, html: '<p>baru</p>', image: 'nginx-unprivileged:test' }).deployments[0]!.spec as any;
    expect(deployment.template.metadata.annotations['checksum/content']).toBe(contentHash('<p>halo</p>', NGINX_CONF));
    expect(other.template.metadata.annotations['checksum/content']).not.toBe(deployment.template.metadata.annotations['checksum/content']);
  });

  it('selects its pods with labels the Service and the NetworkPolicy share', () => {
    expect(deployment.selector.matchLabels).toEqual(plan.podLabels);
    expect(plan.services[0]!.spec.selector).toEqual(plan.podLabels);
    expect(deployment.template.metadata.labels).toMatchObject({ ...ctx.labels, ...plan.podLabels });
    expect(plan.backend).toEqual({ service: 'profil', port: 80 });
  });
});
