// The shape of a report: one zod schema that is both the TypeScript type every renderer consumes and
// the documented JSON output (`desa report --format json`, schemaVersion 1). report.schema.json is
// generated from it (see README.md); a test keeps the two in step. Data, not prose: every value is
// a number, a date (YYYY-MM-DD), an id from desa.yaml or a code from the enums below.
import { z } from 'zod';
import { CONNECTIVITY_STATUS, KINDS, SITE_TEMPLATES, TECHNOLOGIES } from '../../core/inventory/schema.ts';
import { CHECKS } from '../check/model.ts';

export const SCHEMA_VERSION = 1;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const count = z.number().int().min(0);
/** A percentage, 0–100, rounded to two decimals; null when there is nothing to divide by. */
const percent = z.number().min(0).max(100).nullable();

export const UNKNOWN_FIELDS = ['status', 'connectedOn', 'technology', 'bandwidth', 'provider', 'quality'] as const;
export const QUALITY_FLAGS = ['low-uptime', 'many-outages'] as const;
export const TARGET_OUTCOMES = ['met', 'met-date-unknown', 'not-met', 'pending'] as const;
export const PROJECTION_METHODS = ['linear-last-12-months', 'linear-since-first-connection'] as const;
export const NO_PROJECTION_REASONS = ['no-dated-connections', 'too-little-history', 'no-recent-connections'] as const;
export const SERVICE_SOURCES = ['inventory', 'stacks'] as const;
export const READINESS_STATES = ['ready', 'not-ready', 'not-checked'] as const;
/** Why a unit's status on asOf is not the one desa.yaml records (README.md, "As of a date"). */
export const STATUS_NOTES = ['connected-later', 'in-progress-since-unknown', 'connected-date-unknown'] as const;

/** A share of a quota in percent, rounded to two decimals; above 100 when a quota was lowered below what is stored; null without a quota. */
const usagePercent = z.number().min(0).nullable();

/** Usage at or above this share of either quota (size or files) is named in the report: time to ask for more. */
export const NEAR_QUOTA_PERCENT = 80;

export const storageUsage = z
  .strictObject({
    bytes: count.describe('Bytes stored in the desa login\'s home, as SFTPGo counts them'),
    files: count,
    quotaBytes: count.nullable().describe('The size quota SFTPGo enforces; null when it enforces none'),
    quotaFiles: count.nullable().describe('The file-count quota SFTPGo enforces; null when it enforces none'),
    bytesPercent: usagePercent,
    filesPercent: usagePercent,
  })
  .describe("The file space's usage against its quota, read live from the local SFTPGo (storageUsage.measuredAt)");

const statusCounts = z.strictObject({ connected: count, inProgress: count, notConnected: count, unknown: count });

export const unitServices = z.strictObject({
  source: z.enum(SERVICE_SOURCES).describe('inventory: what desa.yaml plans; stacks: what the Pulumi stack outputs say is provisioned'),
  email: z.strictObject({ enabled: z.boolean(), accounts: count, quota: z.string() }),
  storage: z.strictObject({ enabled: z.boolean(), quota: z.string() }),
  subdomain: z.strictObject({ enabled: z.boolean(), host: z.string() }),
  site: z.strictObject({ enabled: z.boolean(), template: z.enum(SITE_TEMPLATES), url: z.string().nullable() }),
});

export const unitReadiness = z
  .strictObject({
    state: z.enum(READINESS_STATES).describe('From the last `desa check` of the unit (.desa/check.json): ready, not-ready, or not-checked'),
    checkedAt: z.string().nullable().describe('When it was checked (ISO 8601), null when never'),
    failing: z.array(z.enum(CHECKS)).describe('The checks that failed: provisioned, dns, tls, site, mail, storage, link'),
  })
  .describe('Readiness: what `desa check` last found, live, for the unit');

export const unitRow = z.strictObject({
  code: z.string(),
  name: z.string(),
  kind: z.enum(KINDS),
  kecamatan: z.string(),
  kecamatanCode: z.string(),
  slug: z.string(),
  programmes: z.array(z.string()),
  pilot: z.boolean(),
  connectivity: z.strictObject({
    status: z.enum(CONNECTIVITY_STATUS).describe('The status on asOf, from what desa.yaml records (README.md, "As of a date")'),
    recordedStatus: z.enum(CONNECTIVITY_STATUS).describe('The status desa.yaml records: the status today'),
    statusNote: z
      .enum(STATUS_NOTES)
      .nullable()
      .describe(
        'Why status is unknown on a past asOf although desa.yaml knows the unit: connected-later (connected after asOf, so not connected then; whether work had begun is not recorded), in-progress-since-unknown (in progress today, not connected on asOf; since when is not recorded), connected-date-unknown (connected today on a date not recorded); null when status is what desa.yaml records',
      ),
    connectedOn: date.nullable(),
    technology: z.enum(TECHNOLOGIES).nullable(),
    bandwidthMbps: z.number().nullable(),
    provider: z.string().nullable(),
    uptimePercent: z.number().nullable(),
    outages: count.nullable(),
    period: z.string().nullable(),
  }),
  unknownFields: z.array(z.enum(UNKNOWN_FIELDS)).describe("Fields that matter for this unit's status but are not known (none for not-connected)"),
  qualityFlags: z.array(z.enum(QUALITY_FLAGS)),
  services: unitServices,
  readiness: unitReadiness,
  storageUsage: storageUsage
    .nullable()
    .optional()
    .describe('Usage of its file space against the quota; null when not measured (no local SFTPGo running, --no-state, no login there)'),
});

export const kecamatanRow = z.strictObject({
  code: z.string(),
  name: z.string(),
  units: count,
  desa: count,
  kelurahan: count,
  ...statusCounts.shape,
  sharePercent: percent,
});

export const targetRow = z.strictObject({
  id: z.string(),
  description: z.string(),
  source: z.string(),
  setOn: date.nullable(),
  due: date,
  coverage: z.number(),
  scope: z.array(z.enum(KINDS)),
  revises: z.string().nullable(),
  revisedBy: z.string().nullable(),
  inScope: count,
  required: count.describe('Units that must be connected: ceil(coverage% of inScope)'),
  connected: count,
  unknownStatus: count.describe('Units in scope of unknown status on asOf that may have been connected (not those known to be unconnected then)'),
  sharePercent: percent,
  outcome: z.enum(TARGET_OUTCOMES),
  determined: z
    .boolean()
    .describe('False when the data cannot settle it: not met while the units of unknown status could still make it met, or are more than half the scope'),
  metOn: date.nullable().describe('The date the required count was reached (outcome met), else null'),
  metOnExact: z.boolean().describe('False when connected units without a date could have reached the count earlier'),
  daysAfterDue: z.number().int().nullable().describe('metOn - due when met, asOf - due otherwise; negative = early, or not yet due'),
  gap: count.describe('Units still to connect to meet it (0 when met)'),
});

export const projection = z.discriminatedUnion('possible', [
  z.strictObject({
    possible: z.literal(true),
    method: z.enum(PROJECTION_METHODS),
    windowFrom: date,
    windowTo: date,
    connectionsInWindow: count,
    perMonth: z.number(),
    remaining: count,
    date: date.nullable().describe('When every unit would be connected at perMonth; the last connection date when remaining is 0'),
  }),
  z.strictObject({ possible: z.literal(false), reason: z.enum(NO_PROJECTION_REASONS), remaining: count }),
]);

const unitRef = z.strictObject({ code: z.string(), name: z.string(), kecamatan: z.string(), slug: z.string() });

export const reportSchema = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  asOf: date,
  file: z.string(),
  kabupaten: z.strictObject({ name: z.string(), domain: z.string(), operator: z.string(), officialSource: z.string() }),
  overall: z.strictObject({
    units: count,
    desa: count,
    kelurahan: count,
    kecamatan: count,
    ...statusCounts.shape,
    unknownNotConnected: count.describe('Units counted in unknown that were not connected on asOf: connected later, or in progress today'),
    connectedDateUnknown: count.describe('Connected units whose connection date is unknown (not on the timeline)'),
    sharePercent: percent,
  }),
  kecamatan: z.array(kecamatanRow),
  targets: z.array(targetRow),
  timeline: z.strictObject({
    points: z.array(z.strictObject({ date, added: count, connected: count })),
    connectedDateUnknown: count,
  }),
  projection,
  pilots: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      year: z.number().int(),
      units: z.array(unitRef.extend({ status: z.enum(CONNECTIVITY_STATUS) })),
    }),
  ),
  unknownData: z.strictObject({
    unitsWithUnknowns: count,
    fields: z.strictObject(Object.fromEntries(UNKNOWN_FIELDS.map((f) => [f, count])) as Record<(typeof UNKNOWN_FIELDS)[number], typeof count>),
  }),
  quality: z.strictObject({
    minUptimePercent: z.number(),
    maxOutages: count,
    measured: count.describe('Units with a known uptime or outage count'),
    flagged: z.array(unitRef.extend({ uptimePercent: z.number().nullable(), outages: count.nullable(), period: z.string().nullable(), flags: z.array(z.enum(QUALITY_FLAGS)) })),
  }),
  services: z.strictObject({
    source: z.enum(SERVICE_SOURCES),
    email: z.strictObject({ units: count, accounts: count }),
    storage: z.strictObject({ units: count }),
    subdomain: z.strictObject({ units: count }),
    site: z.strictObject(Object.fromEntries(SITE_TEMPLATES.map((t) => [t, count])) as Record<(typeof SITE_TEMPLATES)[number], typeof count>),
  }),
  readiness: z.strictObject({
    checkedAt: z.string().nullable().describe('The latest check of any unit (ISO 8601), null when none was checked'),
    ready: count,
    notReady: count,
    notChecked: count,
  }),
  storageUsage: z
    .strictObject({
      source: z.literal('sftpgo').describe("The local SFTPGo's REST API (the embedded default; a deploy-mode cluster's is not read)"),
      measuredAt: z.string().describe('When it was read (ISO 8601)'),
      measured: count.describe('Units whose usage was measured'),
      notMeasured: count.describe('Units with storage enabled whose usage is not known (no login on SFTPGo)'),
      bytes: count,
      quotaBytes: count.describe('The size quotas of the measured units, added up'),
      files: count,
      quotaFiles: count,
      bytesPercent: usagePercent,
      nearQuotaPercent: z.number().describe('The share of either quota at or above which a unit is listed in nearQuota'),
      nearQuota: z
        .array(unitRef.extend({ bytesPercent: usagePercent, filesPercent: usagePercent }))
        .describe('Units at or above nearQuotaPercent of their size or file quota, the fullest first: those to give more quota'),
    })
    .nullable()
    .optional()
    .describe('File-space usage against quota, from the local SFTPGo; null when not measured'),
  units: z.array(unitRow),
});

export type ReportData = z.infer<typeof reportSchema>;
export type UnitRow = z.infer<typeof unitRow>;
export type UnitServicesRow = z.infer<typeof unitServices>;
export type KecamatanRow = z.infer<typeof kecamatanRow>;
export type TargetRow = z.infer<typeof targetRow>;
export type Projection = z.infer<typeof projection>;
export type UnknownField = (typeof UNKNOWN_FIELDS)[number];
export type QualityFlag = (typeof QUALITY_FLAGS)[number];
export type StatusNote = (typeof STATUS_NOTES)[number];
export type UnitReadiness = z.infer<typeof unitReadiness>;
export type StorageUsage = z.infer<typeof storageUsage>;
/** What a stack reports as provisioned for one unit (provisioned.ts reads it from the stack outputs). */
export type ProvisionedServices = Omit<UnitServicesRow, 'source'>;
