// Resource options the mock monitor does not see (provider, parent, ignoreChanges, protect), captured
// with a transformation on the Desa component, which its children inherit.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Unit } from '../../core/inventory/model.ts';
import { installMocks, INVENTORY } from '../../test/fixtures/pulumi-mocks.ts';

const run = installMocks('options');
const { loadInventory } = await import('../../core/inventory/load.ts');
const { Desa } = await import('./index.ts');
const { parseSettings, platformRefs } = await import('../settings.ts');

interface Seen {
  type: string;
  name: string;
  opts: pulumi.CustomResourceOptions;
}
const seen: Seen[] = [];
let provider: k8s.Provider;

beforeAll(async () => {
  const { inventory } = loadInventory(INVENTORY);
  const settings = parseSettings({ images: { opensid: 'registry.example/opensid:1' } });
  provider = new k8s.Provider('kubernetes', {});
  // An in-memory fixture: Sumberjaya switched to opensid.
  const unit: Unit = structuredClone(inventory.units.find((u) => u.slug === 'sumberjaya')!);
  unit.services.site.template = 'opensid';
  new Desa(
    unit.slug,
    { unit, inventory, platform: platformRefs(settings, inventory.kabupaten.domain), images: settings.images, opensid: settings.opensid, provider },
    {
      transformations: [
        (a) => {
          seen.push({ type: a.type, name: a.name, opts: a.opts as pulumi.CustomResourceOptions });
          return undefined;
        },
      ],
    },
  );
  await run.settle();
});

const k8sResources = () => seen.filter((s) => s.type.startsWith('kubernetes:'));

describe('Desa resource options', () => {
  it('gives every Kubernetes resource the explicit provider and a desa component as parent', () => {
    expect(k8sResources().length).toBeGreaterThan(15);
    for (const s of k8sResources()) {
      expect(s.opts.provider, s.name).toBe(provider);
      expect(s.opts.parent, s.name).toBeInstanceOf(pulumi.ComponentResource);
    }
  });

  it('keeps every generated credential once created (ignoreChanges on its data key)', () => {
    const ignored = Object.fromEntries(
      seen.filter((s) => s.type === 'kubernetes:core/v1:Secret').map((s) => [s.name, s.opts.ignoreChanges]),
    );
    expect(ignored).toEqual({
      'sumberjaya-mail-kepala-desa': ['data.password'],
      'sumberjaya-mail-sekretaris-desa': ['data.password'],
      'sumberjaya-mail-operator': ['data.password'],
      'sumberjaya-storage-credentials': ['data.secretAccessKey', 'data.filesPassword', 'data.filesAdminPassword'],
      'sumberjaya-opensid-secret': ['data.password', 'data.adminPassword', 'data.rootPassword'],
      // A copy of the claim's key: it follows the claim, generates nothing.
      'sumberjaya-storage-access': undefined,
    });
  });

  it('protects the claims that hold the desa\'s files and uploads', () => {
    const claims = seen.filter((s) => s.type === 'kubernetes:core/v1:PersistentVolumeClaim');
    expect(claims.map((c) => [c.name, c.opts.protect])).toEqual([
      ['sumberjaya-site-opensid-files', true],
      ['sumberjaya-site-opensid-uploads', true],
    ]);
  });

  it('protects the bucket claim (data) but not the access that grants its key, so offboarding revokes the key', () => {
    const secrets = Object.fromEntries(seen.filter((s) => s.type === 'kubernetes:core/v1:Secret').map((s) => [s.name, s.opts.protect ?? false]));
    expect(secrets['sumberjaya-storage-credentials']).toBe(true);
    expect(secrets['sumberjaya-storage-access']).toBe(false);
    expect(secrets['sumberjaya-mail-operator']).toBe(false);
  });

  it('creates workloads after what they mount and the OpenSID Secret they read', () => {
    const deployment = seen.find((s) => s.type === 'kubernetes:apps/v1:Deployment')!;
    const deps = deployment.opts.dependsOn as pulumi.Resource[];
    expect(deps.length).toBeGreaterThanOrEqual(4);
    expect(deps.some((d) => (d as unknown as { __name?: string }).__name === 'sumberjaya-opensid')).toBe(true);
  });
});
