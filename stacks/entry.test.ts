// The entry point's errors: a stack that is neither `platform` nor a desa, bad configuration, an
// inventory that is missing or invalid. Each is a RunError (printed without a stack trace) that says
// what to do.
import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import { fixtureInventory, installMocks, INVENTORY, PLATFORM_CONFIG } from '../test/fixtures/pulumi-mocks.ts';

installMocks('sumberjya', PLATFORM_CONFIG);
const { default: main } = await import('./index.ts');

async function failure(): Promise<Error> {
  try {
    await main();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the program to fail');
}

describe('stacks/index.ts errors', () => {
  it('names the closest desa when the stack matches none', async () => {
    const e = await failure();
    expect(pulumi.RunError.isInstance(e)).toBe(true);
    expect(e.message).toContain('Stack `sumberjya` is neither `platform` nor the stack of a desa or kelurahan');
    expect(e.message).toContain('Did you mean `sumberjaya`?');
  });

  it('names the config key that is wrong', async () => {
    installMocks('sumberjaya', { ...PLATFORM_CONFIG, 'desa:ingress': JSON.stringify({ mode: 'install' }) });
    const e = await failure();
    expect(pulumi.RunError.isInstance(e)).toBe(true);
    expect(e.message).toMatch(/desa:ingress \(mode\): .*"deploy"/);
  });

  it('says which inventory file is missing', async () => {
    installMocks('sumberjaya', { ...PLATFORM_CONFIG, 'desa:inventory': '/nonexistent/desa.yaml' });
    const e = await failure();
    expect(pulumi.RunError.isInstance(e)).toBe(true);
    expect(e.message).toContain('/nonexistent/desa.yaml does not exist.');
    expect(e.message).toContain('Set `desa:inventory` to its path');
  });

  it('lists the problems of an invalid inventory', async () => {
    const file = fixtureInventory((t) => t.replace('    slug: sumberjaya\n', '    slug: sumberjaya\n    colour: blue\n'));
    installMocks('sumberjaya', { ...PLATFORM_CONFIG, 'desa:inventory': file });
    const e = await failure();
    expect(pulumi.RunError.isInstance(e)).toBe(true);
    expect(e.message).toMatch(/problem/);
    expect(e.message).toContain('colour');
  });

  it('refuses a platform without the DNS settings it needs', async () => {
    installMocks('platform', { 'desa:inventory': INVENTORY });
    const e = await failure();
    expect(e.message).toContain('The platform stack cannot run with this configuration');
    // No contact e-mail is asked for: Let's Encrypt sends no expiry mail since June 2025.
    expect(e.message).not.toContain('acmeEmail');
    expect(e.message).toContain('desa:dns.rfc2136');
    expect(e.message).toContain('desa:dnsTsigSecret');
  });

  it('refuses an opensid desa with no OpenSID image configured', async () => {
    const file = fixtureInventory((t) => t.replace('    slug: lambangjaya\n', '    slug: lambangjaya\n    services:\n      site:\n        template: opensid\n'));
    installMocks('lambangjaya', { ...PLATFORM_CONFIG, 'desa:inventory': file });
    const e = await failure();
    expect(e.message).toContain('uses the opensid template but no OpenSID image is configured');
  });

  it('refuses an opensid desa served outside the cluster when no release is configured, naming what to set', async () => {
    const file = fixtureInventory((t) => t.replace('    slug: lambangjaya\n', '    slug: lambangjaya\n    services:\n      site:\n        template: opensid\n'));
    installMocks('lambangjaya', { ...PLATFORM_CONFIG, 'desa:inventory': file, 'desa:opensid': JSON.stringify({ mode: 'existing' }) });
    const e = await failure();
    expect(e.message).toContain('Lambangjaya (lambangjaya) uses the opensid template but no OpenSID release is configured');
    expect(e.message).toContain('desa:opensid.source');
  });

  it('refuses an OpenSID tarball or URL without its checksum', async () => {
    installMocks('sumberjaya', { ...PLATFORM_CONFIG, 'desa:opensid': JSON.stringify({ mode: 'existing', source: 'https://example.org/opensid.tar.gz' }) });
    const e = await failure();
    expect(e.message).toContain('desa:opensid (sha256): a URL or a .tar.gz source needs its sha256 too');
  });

  it('refuses a desa whose subdomain is the mail host', async () => {
    installMocks('sumberjaya', { ...PLATFORM_CONFIG, 'desa:mail': JSON.stringify({ host: 'sumberjaya.desa.bekasikab.go.id' }) });
    const e = await failure();
    expect(e.message).toContain('Sumberjaya (32.16.06.2010) has the host sumberjaya.desa.bekasikab.go.id, which the platform uses');
  });
});
