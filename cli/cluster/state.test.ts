import { describe, expect, it } from 'vitest';
import { type ClusterStatus, formatStatus, componentFrom, parsePortsEnv, portsFromBase, summarizeNodes } from './state.ts';

describe('a component of the local cluster', () => {
  const dir = '/home/u/desa/.desa/cluster';
  it('runs when its pid file names a live process whose command line names the cluster folder', () => {
    const cmdline = ['/cache/bin/etcd', '--data-dir', `${dir}/etcd`, ''].join('\0');
    expect(componentFrom('etcd', '12\n', () => cmdline, dir)).toEqual({ name: 'etcd', running: true, pid: 12 });
  });
  it('is stopped without a pid file, with a dead pid, or when the pid now belongs to another process', () => {
    expect(componentFrom('kwok', null, () => null, dir)).toEqual({ name: 'kwok', running: false, pid: null });
    expect(componentFrom('kwok', '12\n', () => null, dir)).toEqual({ name: 'kwok', running: false, pid: null });
    expect(componentFrom('kwok', '12\n', () => ['/usr/bin/vim', '/home/u/notes.txt', ''].join('\0'), dir)).toEqual({ name: 'kwok', running: false, pid: null });
    // Another cluster's folder that only starts with this one's name.
    expect(componentFrom('kwok', '12', () => ['/cache/bin/kwok', `--kubeconfig=${dir}-old/admin.kubeconfig`].join('\0'), dir).running).toBe(false);
    expect(componentFrom('kwok', 'garbage', () => '', dir)).toEqual({ name: 'kwok', running: false, pid: null });
  });
});

describe('ports', () => {
  it('reads ports.env, and null when incomplete', () => {
    expect(parsePortsEnv('ETCD_PORT=25790\nETCD_PEER_PORT=25791\nAPI_PORT=25793\n')).toEqual({ etcd: 25790, etcdPeer: 25791, api: 25793 });
    expect(parsePortsEnv('ETCD_PORT=25790\n')).toBeNull();
  });

  it('computes them from DESA_CLUSTER_PORT_BASE as cluster.sh does, default 23790', () => {
    expect(portsFromBase(undefined)).toEqual({ etcd: 23790, etcdPeer: 23791, api: 23793 });
    expect(portsFromBase('24790')).toEqual({ etcd: 24790, etcdPeer: 24791, api: 24793 });
    expect(() => portsFromBase('abc')).toThrow(/DESA_CLUSTER_PORT_BASE/);
    expect(() => portsFromBase('80')).toThrow(RangeError);
  });
});

describe('summarizeNodes', () => {
  it('counts nodes and the Ready ones', () => {
    const node = (name: string, ready: string) => ({ metadata: { name }, status: { conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: ready }] } });
    expect(summarizeNodes({ items: [node('a', 'True'), node('b', 'False'), { metadata: { name: 'c' } }] })).toEqual({ total: 3, ready: 1, names: ['a', 'b', 'c'] });
    expect(summarizeNodes({})).toEqual({ total: 0, ready: 0, names: [] });
  });
});

describe('formatStatus', () => {
  it('prints the state, where things are, and each component', () => {
    const s: ClusterStatus = {
      running: false,
      dataDir: '/p/.desa/cluster',
      created: true,
      apiServer: 'https://127.0.0.1:23793',
      kubeconfig: '/p/.desa/cluster/admin.kubeconfig',
      components: [{ name: 'etcd', running: true, pid: 7 }, ...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'volume-provisioner'].map((name) => ({ name, running: false, pid: null }))],
      nodes: null,
      problem: 'partly running (kwok stopped)',
    };
    const text = formatStatus(s).join('\n');
    expect(text).toContain('local cluster: partly running (kwok stopped)');
    expect(text).toContain('kubeconfig:  /p/.desa/cluster/admin.kubeconfig');
    expect(text).toMatch(/etcd +running \(pid 7\)/);
    expect(text).toMatch(/kwok +stopped/);
  });
});
