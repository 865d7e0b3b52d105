import { describe, expect, it } from 'vitest';
import { type ClusterStatus, formatStatus, parseComponents, parsePortsEnv, portsFromBase, summarizeNodes } from './state.ts';

describe('parseComponents', () => {
  it('reads cluster.sh status lines; components it omits are stopped', () => {
    const text = 'etcd running (pid 12)\nkube-apiserver running (pid 13)\nkube-scheduler stopped\nnoise\n';
    expect(parseComponents(text)).toEqual([
      { name: 'etcd', running: true, pid: 12 },
      { name: 'kube-apiserver', running: true, pid: 13 },
      { name: 'kube-controller-manager', running: false, pid: null },
      { name: 'kube-scheduler', running: false, pid: null },
      { name: 'kwok', running: false, pid: null },
      { name: 'volume-provisioner', running: false, pid: null },
    ]);
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
      components: parseComponents('etcd running (pid 7)'),
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
