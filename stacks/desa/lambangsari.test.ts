// Lambangsari (32.16.06.2002): pilot desa that runs its own app (site.template: external, url unknown).
// No site workload and, with no URL yet, nothing on the subdomain; mail and storage as any desa.
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { installMocks, PLATFORM_CONFIG, valueOf } from '../../test/fixtures/pulumi-mocks.ts';

const run = installMocks('lambangsari', PLATFORM_CONFIG, ['desa:dnsTsigSecret']);
const { default: main } = await import('../index.ts');
const P = 'desa.bekasikab.go.id';

let outputs: Record<string, any>;
beforeAll(async () => {
  outputs = await main();
  await run.settle();
});

describe('Lambangsari desa stack (external app, address unknown)', () => {
  it('labels the namespace as external and as a pilot', () => {
    const ns = run.one('kubernetes:core/v1:Namespace', 'desa-lambangsari');
    expect(ns.inputs.metadata.labels).toMatchObject({
      [`${P}/code`]: '32.16.06.2002',
      [`${P}/site-template`]: 'external',
      [`${P}/programme.desa-digital-2022`]: 'true',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  it('runs no workload: no pods allowed by the quota, only the default-deny policy', () => {
    const quota = run.one('kubernetes:core/v1:ResourceQuota', 'desa-quota');
    expect(quota.inputs.spec.hard).toMatchObject({ pods: '0', 'requests.storage': '0', persistentvolumeclaims: '0' });
    expect(run.ofType('kubernetes:networking.k8s.io/v1:NetworkPolicy').map((p) => p.inputs.metadata.name)).toEqual(['default-deny']);
    for (const type of ['kubernetes:apps/v1:Deployment', 'kubernetes:apps/v1:StatefulSet', 'kubernetes:core/v1:ConfigMap', 'kubernetes:core/v1:Service']) {
      expect(run.ofType(type), type).toHaveLength(0);
    }
    expect(run.resources.filter((r) => r.type === 'desa:desa:Site')).toHaveLength(0);
  });

  it('publishes nothing on the subdomain while the address of its app is unknown', () => {
    expect(run.ofType('kubernetes:networking.k8s.io/v1:Ingress')).toHaveLength(0);
    expect(run.resources.filter((r) => r.type === 'desa:desa:Subdomain')).toHaveLength(0);
    expect(outputs.url).toBeNull();
    expect(outputs.host).toBe('lambangsari.desa.bekasikab.go.id');
    expect(outputs.siteTemplate).toBe('external');
  });

  it('still gets its mailboxes and bucket', async () => {
    expect(outputs.mailboxes).toHaveLength(3);
    expect(outputs.bucket).toBe('desa-lambangsari');
    expect(run.one('kubernetes:core/v1:Secret', 'bucket-lambangsari').inputs.metadata.namespace).toBe('desa-platform');
    expect(await pulumi.isSecret(outputs.mailPasswords)).toBe(true);
    expect(Object.keys(await valueOf<Record<string, string>>(outputs.mailPasswords))).toEqual(outputs.mailboxes);
  });
});
