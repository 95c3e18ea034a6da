// The province's configuration: KPI targets per unit level, the ranking threshold and how
// certification dossiers are recognised. Validated with zod at the boundary; every field has
// a default, so an absent file means "Bắc Giang's Plan 280/KH-UBND targets, rank from 20".
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { UnitLevel } from './dossier-contract.ts';
import type { TargetedKpi } from './published-tables.ts';

const rate = z.number().min(0).max(1);

const LevelTargetsSchema = z
  .object({
    on_time_rate: rate.nullable().optional(),
    online_share: rate.nullable().optional(),
    e_cert_ratio: rate.nullable().optional(),
  })
  .strict();

export const DEFAULT_TARGETS = {
  // Bắc Giang Plan 280/KH-UBND: ≥ 30% online for province-level agencies, ≥ 10% for districts.
  province: { online_share: 0.3, e_cert_ratio: 0.1, on_time_rate: 0.95 },
  district: { online_share: 0.1, e_cert_ratio: 0.1, on_time_rate: 0.95 },
  commune: { e_cert_ratio: 0.1, on_time_rate: 0.95 },
} as const;

/** One 766 indicator's scoring: full points at or beyond the threshold, else proportional. */
const IndicatorScoringSchema = z
  .object({ points: z.number().min(0).max(100), threshold: z.number().positive() })
  .strict();

/**
 * Defaults for the 766 indicators computable from the records (Quyết định 766/QĐ-TTg groups;
 * congkhai's reading where the method gives no figure: see docs/ and the method page). Rates
 * are 0–1; 2.2 is in days, lower is better.
 */
export const DEFAULT_INDEX_766 = {
  '2.1': { points: 14, threshold: 1 },
  '2.2': { points: 6, threshold: 7 },
  '3.3': { points: 12, threshold: 0.8 },
  '3.6': { points: 10, threshold: 0.5 },
  '4.1': { points: 11, threshold: 1 },
  '4.2': { points: 11, threshold: 1 },
  '5.4': { points: 6, threshold: 1 },
} as const;

/** Who publishes the data: named on every page, in every README and in every citation. */
const PublisherSchema = z
  .object({
    /** The province, as its people name it: "Tỉnh Bắc Ninh". */
    province: z.string().trim().min(1).max(200),
    /** The office that publishes: "Văn phòng UBND tỉnh Bắc Ninh". */
    office: z.string().trim().min(1).max(300),
    /** Where to write about the data: an e-mail address or a web page. */
    contact: z.string().trim().min(1).max(300),
    /** The public site's base URL (citations point to its dated archive); null: relative. */
    url: z.url().nullable().default(null),
  })
  .strict();

export const DEFAULT_PUBLISHER = {
  province: 'Tỉnh (chưa khai báo trong congkhai.config.json)',
  office: 'Cơ quan công bố (chưa khai báo)',
  contact: 'chưa khai báo',
  url: null,
};

export const CongkhaiConfigSchema = z
  .object({
    /** A unit with fewer resolved dossiers in the period is listed but not ranked. */
    min_resolved_for_rank: z.number().int().min(0).default(20),
    /** Targets per unit level; a missing KPI or level has no target (meets_* is null). */
    targets: z
      .object({
        province: LevelTargetsSchema.optional(),
        district: LevelTargetsSchema.optional(),
        commune: LevelTargetsSchema.optional(),
      })
      .strict()
      .default(DEFAULT_TARGETS),
    /** Which resolved dossiers are certification (chứng thực) for e_cert_ratio: exact NFC match. */
    e_cert: z
      .object({
        field_name: z.string().min(1).default('Chứng thực'),
        field_code: z.string().min(1).nullable().default(null),
      })
      .strict()
      .default({ field_name: 'Chứng thực', field_code: null }),
    publisher: PublisherSchema.default(DEFAULT_PUBLISHER),
    /** Points and thresholds of the 766 scorecard's indicators (scorecard_766). */
    index_766: z
      .partialRecord(z.enum(['2.1', '2.2', '3.3', '3.6', '4.1', '4.2', '5.4']), IndicatorScoringSchema)
      .default(DEFAULT_INDEX_766)
      .transform((given) => ({ ...DEFAULT_INDEX_766, ...given })),
  })
  .strict();

export type CongkhaiConfig = z.infer<typeof CongkhaiConfigSchema>;

export const DEFAULT_CONFIG_FILE = 'congkhai.config.json';

/** The target of one KPI for one unit level, or null. */
export function targetFor(config: CongkhaiConfig, level: UnitLevel, kpi: TargetedKpi): number | null {
  return config.targets[level]?.[kpi] ?? null;
}

export class ConfigError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ConfigError';
    this.file = file;
  }
}

/** Parse a config object (e.g. from JSON); names normalized to NFC like the lake's values. */
export function parseConfig(value: unknown, file = '(config)'): CongkhaiConfig {
  const parsed = CongkhaiConfigSchema.safeParse(value);
  if (!parsed.success) throw new ConfigError(file, z.prettifyError(parsed.error));
  const config = parsed.data;
  config.e_cert.field_name = config.e_cert.field_name.normalize('NFC');
  return config;
}

/**
 * Load the config: the given file (must exist), else `congkhai.config.json` in the working
 * folder when present, else the defaults.
 */
export async function loadConfig(path?: string): Promise<CongkhaiConfig> {
  const file = path ?? DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (!path && (error as NodeJS.ErrnoException).code === 'ENOENT') return parseConfig({});
    throw new ConfigError(file, `cannot read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, `not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(json, file);
}
