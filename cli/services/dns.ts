// The zone on PowerDNS Authoritative, through its HTTP API: the records the sync owns carry a comment
// with account "desa", so records made by hand beside them are never touched. A zone of a domain
// desa.yaml no longer names loses the records desa made in it, and goes when nothing else is left.
// planRrsets is pure.
import type { DnsRecord } from '../../core/contract.ts';

export const OWNER = 'desa';

export interface Rrset {
  name: string;
  type: string;
  ttl: number;
  records: { content: string; disabled: boolean }[];
  comments?: { content: string; account: string; modified_at?: number }[];
  changetype?: 'REPLACE' | 'DELETE';
}

const key = (r: { name: string; type: string }) => `${r.name.toLowerCase()} ${r.type}`;
const owned = (r: Rrset) => (r.comments ?? []).some((c) => c.account === OWNER);

/** The PATCH body that turns the zone's current rrsets into the desired ones; empty when nothing differs. */
export function planRrsets(desired: readonly DnsRecord[], current: readonly Rrset[]): Rrset[] {
  const now = new Map(current.map((r) => [key(r), r]));
  const changes: Rrset[] = [];
  const wanted = new Set<string>();
  for (const d of desired) {
    wanted.add(key(d));
    const c = now.get(key(d));
    const same =
      c !== undefined &&
      owned(c) &&
      c.ttl === d.ttl &&
      c.records.length === d.values.length &&
      [...c.records.map((r) => r.content)].sort().join('\n') === [...d.values].sort().join('\n');
    if (same) continue;
    changes.push({
      name: d.name,
      type: d.type,
      ttl: d.ttl,
      changetype: 'REPLACE',
      records: d.values.map((content) => ({ content, disabled: false })),
      comments: [{ content: 'managed by desa (desa.yaml)', account: OWNER }],
    });
  }
  for (const c of current) {
    if (owned(c) && !wanted.has(key(c))) changes.push({ name: c.name, type: c.type, ttl: c.ttl, changetype: 'DELETE', records: [] });
  }
  return changes;
}

export interface PowerDns {
  /** http://127.0.0.1:PORT */
  url: string;
  apiKey: string;
}

async function call(api: PowerDns, method: string, path: string, body?: unknown): Promise<Response> {
  const r = await fetch(`${api.url}/api/v1/servers/localhost${path}`, {
    method,
    headers: { 'X-API-Key': api.apiKey, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(15_000),
  });
  if (!r.ok && r.status !== 404) {
    const text = (await r.text()).slice(0, 300);
    throw new Error(`PowerDNS ${method} ${path}: HTTP ${r.status} ${text}`);
  }
  return r;
}

/** The zone's rrsets, creating the zone (SOA, NS) when it does not exist yet. */
export async function zoneRrsets(api: PowerDns, zone: string): Promise<Rrset[]> {
  const r = await call(api, 'GET', `/zones/${zone}`);
  if (r.status !== 404) return ((await r.json()) as { rrsets: Rrset[] }).rrsets;
  const ns = `ns1.${zone}`;
  await call(api, 'POST', '/zones', {
    name: zone,
    kind: 'Native',
    account: OWNER,
    soa_edit_api: 'INCREASE',
    rrsets: [
      { name: zone, type: 'SOA', ttl: 3600, records: [{ content: `${ns} hostmaster.${zone} 1 10800 3600 604800 300`, disabled: false }] },
      { name: zone, type: 'NS', ttl: 3600, records: [{ content: ns, disabled: false }] },
    ],
  });
  return [];
}

/** The other zones: the records desa made there are deleted, and a zone left with only its SOA and NS goes. */
async function retireOtherZones(api: PowerDns, keep: string): Promise<number> {
  const zones = (await (await call(api, 'GET', '/zones')).json()) as { name: string }[];
  let deleted = 0;
  for (const { name } of zones.filter((z) => z.name !== keep)) {
    const current = ((await (await call(api, 'GET', `/zones/${name}`)).json()) as { rrsets: Rrset[] }).rrsets;
    const changes = planRrsets([], current);
    if (changes.length === 0) continue;
    await call(api, 'PATCH', `/zones/${name}`, { rrsets: changes });
    deleted += changes.length;
    const gone = new Set(changes.map((c) => `${c.name} ${c.type}`));
    if (current.every((r) => gone.has(`${r.name} ${r.type}`) || r.type === 'SOA' || r.type === 'NS')) await call(api, 'DELETE', `/zones/${name}`);
  }
  return deleted;
}

/**
 * Writes rrsets the sync does not own (their comment's account is `account`, not desa's): the sync
 * neither keeps nor deletes them, so a challenge record lives only while its order does.
 */
export async function replaceRrsets(api: PowerDns, zone: string, records: readonly DnsRecord[], account: string): Promise<void> {
  await zoneRrsets(api, zone);
  const rrsets = records.map((d) => ({ name: d.name, type: d.type, ttl: d.ttl, changetype: 'REPLACE', records: d.values.map((content) => ({ content, disabled: false })), comments: [{ content: 'ACME challenge (desa)', account }] }));
  await call(api, 'PATCH', `/zones/${zone}`, { rrsets });
}

/** Deletes rrsets by name and type. */
export async function deleteRrsets(api: PowerDns, zone: string, records: readonly Pick<DnsRecord, 'name' | 'type'>[]): Promise<void> {
  await call(api, 'PATCH', `/zones/${zone}`, { rrsets: records.map((d) => ({ name: d.name, type: d.type, changetype: 'DELETE', records: [] })) });
}

/** Applies the desired records; returns how many rrsets changed and were deleted (in other zones too). */
export async function applyDns(api: PowerDns, zone: string, desired: readonly DnsRecord[]): Promise<{ changed: number; deleted: number }> {
  const changes = planRrsets(desired, await zoneRrsets(api, zone));
  if (changes.length > 0) await call(api, 'PATCH', `/zones/${zone}`, { rrsets: changes });
  const retired = await retireOtherZones(api, zone);
  return { changed: changes.filter((c) => c.changetype === 'REPLACE').length, deleted: changes.filter((c) => c.changetype === 'DELETE').length + retired };
}
