// Every desa and kelurahan of desa.yaml built in one process: no two produce the same Pulumi resource
// (type + name, hence URN) or the same Kubernetes object (kind, namespace, name), and the platform's
// objects collide with none of them. Cluster-scoped objects and the shared platform namespace are
// where a hard-coded name would bite.
import * as k8s from '@pulumi/kubernetes';
import { beforeAll, describe, expect, it } from 'vitest';
import { installMocks, INVENTORY, PLATFORM_CONFIG } from '../test/fixtures/pulumi-mocks.ts';

const run = installMocks('all', PLATFORM_CONFIG, ['desa:dnsTsigSecret']);
const { loadInventory } = await import('../core/inventory/load.ts');
const { runStack } = await import('./program.ts');
const { readStackConfig } = await import('./settings.ts');
const { inventory } = loadInventory(INVENTORY);

beforeAll(async () => {
  const config = readStackConfig();
  const provider = new k8s.Provider('kubernetes', {});
  runStack('platform', inventory, config, provider);
  for (const unit of inventory.units) runStack(unit.stack, inventory, config, provider);
  await run.settle();
}, 120_000);

function duplicates(keys: string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((k) => (seen.has(k) ? true : (seen.add(k), false)));
}

describe('all 187 units together', () => {
  it('covers every unit of the inventory', () => {
    expect(inventory.units).toHaveLength(187);
    expect(run.resources.filter((r) => r.type === 'desa:desa:Desa')).toHaveLength(187);
  });

  it('produces no two resources with the same type and name (URN)', () => {
    expect(duplicates(run.resources.map((r) => `${r.type}::${r.name}`))).toEqual([]);
  });

  it('produces no two Kubernetes objects with the same identity', () => {
    const objects = run.resources
      .filter((r) => r.type.startsWith('kubernetes:') && r.type !== 'kubernetes:helm.sh/v4:Chart')
      .map((r) => `${r.inputs.apiVersion}/${r.inputs.kind} ${r.inputs.metadata.namespace ?? '(cluster)'}/${r.inputs.metadata.name}`);
    expect(objects.length).toBeGreaterThan(187 * 8);
    expect(duplicates(objects)).toEqual([]);
  });

  it('gives each unit its own namespace and its own subdomain', () => {
    const namespaces = run.ofType('kubernetes:core/v1:Namespace').map((n) => n.inputs.metadata.name).filter((n: string) => n.startsWith('desa-') && n !== 'desa-platform');
    expect(namespaces).toHaveLength(187);
    const hosts = run.ofType('kubernetes:networking.k8s.io/v1:Ingress').map((i) => i.inputs.spec.rules[0].host);
    expect(new Set(hosts).size).toBe(hosts.length);
    // Every unit but Lambangsari (external app, address unknown) is reachable, beside the platform's
    // webmail and files hosts, which no desa subdomain takes.
    expect(hosts).toHaveLength(186 + 2);
    expect(hosts).toEqual(expect.arrayContaining(['webmail.desa.bekasikab.go.id', 'files.desa.bekasikab.go.id']));
  });

  it('orders ONE certificate for all 187 units (the wildcard + apex), none per desa: the weekly allowance is shared', () => {
    const certs = run.ofType('kubernetes:cert-manager.io/v1:Certificate');
    expect(certs.map((c) => c.inputs.spec.dnsNames)).toEqual([['*.desa.bekasikab.go.id', 'desa.bekasikab.go.id']]);
    // No Ingress names a Secret of its own (cert-manager's ingress-shim would order one per Secret).
    for (const i of run.ofType('kubernetes:networking.k8s.io/v1:Ingress')) {
      expect(i.inputs.spec.tls.every((t: { secretName?: string }) => t.secretName === undefined)).toBe(true);
      expect(Object.keys(i.inputs.metadata.annotations ?? {}).filter((k) => k.startsWith('cert-manager.io/'))).toEqual([]);
    }
  });

  it('derives every desa resource name from its slug', () => {
    const slugs = new Set(inventory.units.map((u) => u.slug));
    for (const r of run.resources) {
      if (r.type.startsWith('desa:desa:')) expect(slugs.has(r.name.replace(/-(namespace|mail|storage|site|subdomain)$/, ''))).toBe(true);
    }
    const owners = [...slugs, 'platform'];
    for (const r of run.resources.filter((x) => x.type.startsWith('kubernetes:'))) {
      expect(owners.some((o) => r.name.startsWith(`${o}-`) || r.name === o), r.name).toBe(true);
    }
  });
});
