// The settings a stack ran with, read back from its settings file: what desa wrote (objects as JSON,
// booleans as text) and what someone set by hand with `pulumi config set --path` (YAML values). The
// services sync takes the platform's namespace and DNS TTL from here, not from the schema's defaults.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateDirs } from '../paths.ts';
import { readStackConfigFile, stackSettings } from './stack-config.ts';

function dirsWith(settingsYaml: string | null) {
  const base = mkdtempSync(join(tmpdir(), 'stack-config-'));
  const dirs = stateDirs(join(base, 'desa.yaml'), {});
  if (settingsYaml !== null) {
    mkdirSync(join(dirs.work, 'platform'), { recursive: true });
    writeFileSync(join(dirs.work, 'platform', 'Pulumi.platform.yaml'), settingsYaml);
  }
  return dirs;
}

const given = { 'desa:inventory': '/x/desa.yaml', 'desa:customResources': false, 'desa:dns': { mode: 'existing' }, 'kubernetes:kubeconfig': '/x/k' };

describe('a stack\'s settings as it ran', () => {
  it('what desa wrote and what was set by hand, over what every stack was given', () => {
    const dirs = dirsWith(
      [
        'encryptionsalt: v1:abc',
        'config:',
        "  desa:customResources: 'false'",
        '  desa:dns: \'{"mode":"existing","ttl":600}\'',
        '  desa:platformNamespace: layanan-desa',
        '  desa:mail:',
        '    mode: existing',
        '    dkimSelector: kab',
        '  desa:dnsTsigSecret:',
        '    secure: v1:xyz',
        '',
      ].join('\n'),
    );
    expect(readStackConfigFile(dirs, 'platform')['desa:platformNamespace']).toBe('layanan-desa');
    const s = stackSettings(dirs, 'platform', given);
    expect(s.platformNamespace).toBe('layanan-desa');
    expect(s.dns.ttl).toBe(600);
    expect(s.customResources).toBe(false);
    expect(s.mail.dkimSelector).toBe('kab');
  });

  it('before the stack has a settings file: what it is given, then the schema\'s defaults', () => {
    const s = stackSettings(dirsWith(null), 'platform', given);
    expect(s.platformNamespace).toBe('desa-platform');
    expect(s.dns).toMatchObject({ mode: 'existing', ttl: 300 });
  });

  it('a value that is not valid names its key', () => {
    expect(() => stackSettings(dirsWith("config:\n  desa:dns: '{not json'\n"), 'platform', given)).toThrow(/desa:dns/);
    expect(() => stackSettings(dirsWith('config:\n  desa:platformNamespace: Not_A_Label\n'), 'platform', given)).toThrow(/platformNamespace/);
  });
});
