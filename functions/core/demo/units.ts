// Every unit the demo province ever had: former Bắc Giang's and former Bắc Ninh's agencies,
// districts and communes (until 30 June 2025), and new Bắc Ninh's agencies and communes (from
// 1 July 2025), with who succeeded whom. Former units carry the targets the generator aims at;
// after the reform a dossier keeps the procedures and rates of the former unit whose work it
// continues (its "origin"), and goes to one of that unit's successors.
import type { UnitLevel } from '../dossier-contract.ts';
import {
  AGENCY_KINDS,
  AGENCY_SUCCESSORS,
  type AgencyKind,
  formerAgencyName,
  MERGED_AGENCIES,
} from './agency-kinds.ts';
import type { DemoFieldKey } from './fields.ts';
import {
  BAC_GIANG_DISTRICTS,
  BAC_GIANG_FIXTURE,
  COMMUNE_FIELDS,
  DISTRICT_FIELDS,
} from './former-bac-giang.ts';
import { BAC_NINH_AGENCY_KINDS, BAC_NINH_DISTRICTS } from './former-bac-ninh.ts';
import { Random } from './prng.ts';
import { districtSuccession, type FormerDistrict, LAST_FORMER_DAY, REFORM_DATE } from './reform-2025.ts';

/** The system that holds a unit's dossiers: a former province's, or the merged one. */
export type DemoSystem = 'bacGiang' | 'bacNinh' | 'merged';

export interface DemoUnit {
  unit_code: string;
  unit_name: string;
  unit_level: UnitLevel;
  /** The district of a former commune; null otherwise (and for every unit after the reform). */
  parent_code: string | null;
  /** Electronic identifier shaped like the national one; the prefix of its dossier ids. */
  e_identifier: string;
  system: DemoSystem;
  valid_from: string | null;
  valid_to: string | null;
  /** Other names its own system sends (DonViXuLy); units.csv `match` lists them after its e-identifier and name. */
  match: readonly string[];
}

export interface Successor {
  unit: DemoUnit;
  /** Share of the predecessor's work, in hundredths (a predecessor's add up to 100). */
  hundredths: number;
}

export interface FormerUnit extends DemoUnit {
  /** The row of the Bắc Giang fixture this unit comes from (its agencies and districts). */
  fixture_row: number | null;
  /** The name the fixture (and Bắc Giang's own system) gives the unit. */
  fixture_name: string | null;
  /** received_online / (received_online + received_offline), aimed at before the reform. */
  target_online_share: number;
  /** resolved_on_time / resolved_total, aimed at before the reform. */
  target_on_time_rate: number;
  /** Share of the province's dossiers this unit's work accounts for; all sum to 1. */
  volume_share: number;
  /** Share of its dossiers that stall and stay open (the fixture's long overdue backlog). */
  stuck_share: number;
  fields: ReadonlyArray<readonly [DemoFieldKey, number]>;
  successors: readonly Successor[];
}

/** Share of all dossiers per level before the reform. Province:district follows the fixture (40.723 : 60.890). */
export const LEVEL_SHARES: Readonly<Record<UnitLevel, number>> = {
  province: 0.3,
  district: 0.45,
  commune: 0.25,
};
/** Share of the new province's dossiers from each former province (Bắc Giang is the larger). */
export const PROVINCE_SHARES = { bacGiang: 0.55, bacNinh: 0.45 } as const;

/** Fixture units with fewer new dossiers than this get plausible default rates instead. */
const MIN_FIXTURE_VOLUME = 20;
/** Quarterly volume (fixture scale) given to units the fixture shows (almost) empty. */
const FLOOR_VOLUME = 60;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

interface Builder {
  former: FormerUnit[];
  merged: DemoUnit[];
  agencies: Map<string, DemoUnit>;
  /** Pending links: former unit → (new commune name, hundredths). */
  communeLinks: Array<{ unit: FormerUnit; name: string; hundredths: number }>;
  newCommunes: Array<{ name: string; side: 'bacGiang' | 'bacNinh' }>;
}

function formerUnit(
  fields: Omit<FormerUnit, 'valid_from' | 'valid_to' | 'successors' | 'fixture_row' | 'fixture_name'> &
    Partial<Pick<FormerUnit, 'fixture_row' | 'fixture_name'>>,
): FormerUnit {
  return {
    fixture_row: null,
    fixture_name: null,
    ...fields,
    valid_from: null,
    valid_to: LAST_FORMER_DAY,
    successors: [],
  };
}

function linkAgency(b: Builder, unit: FormerUnit, kind: AgencyKind): void {
  unit.successors = AGENCY_SUCCESSORS[kind].map(([key, hundredths]) => ({
    unit: b.agencies.get(key)!,
    hundredths,
  }));
}

/** A former district's communes (with targets) and where it and they went. */
function addDistrictCommunes(
  b: Builder,
  random: Random,
  office: FormerUnit,
  district: FormerDistrict,
  side: 'bacGiang' | 'bacNinh',
  districtEid: number,
  communeShare: number,
): void {
  const succession = districtSuccession(district, office.unit_name);
  const newNames = district.becomes.map(([name]) => name);
  for (const name of newNames) b.newCommunes.push({ name, side });
  for (const [i, h] of succession.office)
    b.communeLinks.push({ unit: office, name: newNames[i]!, hundredths: h });
  // Communes share their district's weight in the province, unevenly.
  const weights = district.communes.map(() => 0.6 + 0.8 * random.next());
  const total = weights.reduce((a, c) => a + c, 0);
  district.communes.forEach((communeName, c) => {
    const commune = formerUnit({
      unit_code: `${office.unit_code}-X${pad(c + 1)}`,
      unit_name: `UBND ${communeName}`,
      unit_level: 'commune',
      parent_code: office.unit_code,
      e_identifier: `${pad(c + 1, 3)}.${districtEid}.00.${office.e_identifier.slice(-3)}`,
      system: side,
      match: [],
      // Communes receive mostly at the counter and close nearly everything on time.
      target_online_share: 0.03 + 0.09 * random.next(),
      target_on_time_rate: 0.97 + 0.025 * random.next(),
      volume_share: communeShare * (weights[c]! / total),
      stuck_share: 0.0005,
      fields: COMMUNE_FIELDS,
    });
    b.former.push(commune);
    for (const [i, h] of succession.communes[c]!)
      b.communeLinks.push({ unit: commune, name: newNames[i]!, hundredths: h });
  });
}

function addMergedAgencies(b: Builder): void {
  MERGED_AGENCIES.forEach(([key, name], i) => {
    const unit: DemoUnit = {
      unit_code: `BN25-S${pad(i + 1)}`,
      unit_name: name,
      unit_level: 'province',
      parent_code: null,
      e_identifier: `000.00.${pad(i + 1)}.H27`,
      system: 'merged',
      valid_from: REFORM_DATE,
      valid_to: null,
      match: [],
    };
    b.merged.push(unit);
    b.agencies.set(key, unit);
  });
}

function addBacGiang(b: Builder): void {
  // A fixed stream (not the user's seed): the unit list is the same for every seed.
  const random = new Random(0x0b6a);
  const share = PROVINCE_SHARES.bacGiang;
  const volume = (online: number, offline: number) => Math.max(online + offline, FLOOR_VOLUME);
  const levelVolume = { province: 0, district: 0 };
  for (const [, level, online, offline] of BAC_GIANG_FIXTURE) levelVolume[level] += volume(online, offline);
  let agency = 0;
  let district = 0;
  BAC_GIANG_FIXTURE.forEach(
    ([name, level, online, offline, onTime, late, pendingOverdue, receivedTotal, fields], index) => {
      const fresh = online + offline;
      const reliable = fresh >= MIN_FIXTURE_VOLUME && onTime + late >= MIN_FIXTURE_VOLUME;
      const onlineShare = reliable ? online / fresh : 0.3 + 0.3 * random.next();
      const onTimeRate = reliable ? onTime / (onTime + late) : 0.95 + 0.04 * random.next();
      const stuckShare = receivedTotal > 0 ? Math.min(0.02, (0.05 * pendingOverdue) / receivedTotal) : 0.001;
      const unitShare = (share * volume(online, offline)) / levelVolume[level];
      const common = {
        fixture_row: index + 1,
        fixture_name: name,
        unit_level: level,
        parent_code: null,
        system: 'bacGiang' as const,
        target_online_share: onlineShare,
        target_on_time_rate: onTimeRate,
        volume_share: LEVEL_SHARES[level] * unitShare,
        stuck_share: stuckShare,
        fields,
      };
      if (level === 'province') {
        agency += 1;
        const kind = AGENCY_KINDS[agency - 1]!;
        const unit = formerUnit({
          ...common,
          unit_code: `BG-S${pad(agency)}`,
          unit_name: formerAgencyName(kind, 'Bắc Giang'),
          e_identifier: `000.00.${pad(agency)}.H22`,
          // Bắc Giang's own system names its agencies as the fixture does ("Sở Tư pháp").
          match: [name],
        });
        b.former.push(unit);
        linkAgency(b, unit, kind);
        return;
      }
      district += 1;
      const office = formerUnit({
        ...common,
        unit_code: `BG-H${pad(district)}`,
        unit_name: name,
        e_identifier: `000.${20 + district}.00.H22`,
        match: [],
      });
      b.former.push(office);
      const communeShare = LEVEL_SHARES.commune * unitShare;
      addDistrictCommunes(
        b,
        random,
        office,
        BAC_GIANG_DISTRICTS[district - 1]!,
        'bacGiang',
        20 + district,
        communeShare,
      );
    },
  );
}

function addBacNinh(b: Builder): void {
  const random = new Random(0xb4c1);
  const share = PROVINCE_SHARES.bacNinh;
  // Agencies: Bắc Giang's agency of the same kind, with its volume and rates moved a little.
  const bgAgencies = b.former.filter((u) => u.system === 'bacGiang' && u.unit_level === 'province');
  const twinOf = (kind: AgencyKind) => bgAgencies[AGENCY_KINDS.indexOf(kind)]!;
  const agencyVolume = BAC_NINH_AGENCY_KINDS.map(
    (kind) => twinOf(kind).volume_share * (0.7 + 0.6 * random.next()),
  );
  const agencyTotal = agencyVolume.reduce((a, c) => a + c, 0);
  BAC_NINH_AGENCY_KINDS.forEach((kind, i) => {
    const twin = twinOf(kind);
    const unit = formerUnit({
      unit_code: `BN-S${pad(i + 1)}`,
      unit_name: formerAgencyName(kind, 'Bắc Ninh'),
      unit_level: 'province',
      parent_code: null,
      e_identifier: `000.00.${pad(i + 1)}.H07`,
      system: 'bacNinh',
      match: [],
      target_online_share: Math.min(
        0.97,
        Math.max(0.02, twin.target_online_share + 0.3 * (random.next() - 0.5)),
      ),
      target_on_time_rate: Math.min(
        0.995,
        Math.max(0.4, twin.target_on_time_rate + 0.02 + 0.06 * (random.next() - 0.5)),
      ),
      volume_share: (share * LEVEL_SHARES.province * agencyVolume[i]!) / agencyTotal,
      stuck_share: twin.stuck_share,
      fields: twin.fields,
    });
    b.former.push(unit);
    linkAgency(b, unit, kind);
  });
  const districtTotal = BAC_NINH_DISTRICTS.reduce((a, d) => a + d.volume, 0);
  BAC_NINH_DISTRICTS.forEach((district, i) => {
    const unitShare = (share * district.volume) / districtTotal;
    const office = formerUnit({
      unit_code: `BN-H${pad(i + 1)}`,
      unit_name: district.name,
      unit_level: 'district',
      parent_code: null,
      e_identifier: `000.${20 + i + 1}.00.H07`,
      system: 'bacNinh',
      match: [],
      target_online_share: 0.1 + 0.4 * random.next(),
      target_on_time_rate: 0.9 + 0.09 * random.next(),
      volume_share: LEVEL_SHARES.district * unitShare,
      stuck_share: 0.001 + 0.004 * random.next(),
      fields: DISTRICT_FIELDS,
    });
    b.former.push(office);
    addDistrictCommunes(b, random, office, district, 'bacNinh', 20 + i + 1, LEVEL_SHARES.commune * unitShare);
  });
}

/** New communes: 5-digit codes (Bắc Giang's side from 07…, Bắc Ninh's from 09…), no parent. */
function addNewCommunes(b: Builder): void {
  const byName = new Map<string, DemoUnit>();
  const counters = { bacGiang: 0, bacNinh: 0 };
  for (const { name, side } of b.newCommunes) {
    const k = ++counters[side];
    const unit: DemoUnit = {
      unit_code: pad((side === 'bacGiang' ? 7000 : 9100) + 19 * k, 5),
      unit_name: `UBND ${name}`,
      unit_level: 'commune',
      parent_code: null,
      e_identifier: `${pad(b.merged.length + 1, 3)}.30.00.H27`,
      system: 'merged',
      valid_from: REFORM_DATE,
      valid_to: null,
      match: [],
    };
    if (byName.has(name)) throw new Error(`two new communes are named ${name}`);
    byName.set(name, unit);
    b.merged.push(unit);
  }
  for (const { unit, name, hundredths } of b.communeLinks) {
    unit.successors = [...unit.successors, { unit: byName.get(name)!, hundredths }];
  }
}

function buildUnits(): { former: FormerUnit[]; merged: DemoUnit[] } {
  const b: Builder = { former: [], merged: [], agencies: new Map(), communeLinks: [], newCommunes: [] };
  addMergedAgencies(b);
  addBacGiang(b);
  addBacNinh(b);
  addNewCommunes(b);
  return { former: b.former, merged: b.merged };
}

const built = buildUnits();
export const FORMER_UNITS: readonly FormerUnit[] = built.former;
export const MERGED_UNITS: readonly DemoUnit[] = built.merged;
/** Every unit, in the order units.csv lists them: former Bắc Giang, former Bắc Ninh, new Bắc Ninh. */
export const DEMO_UNITS: readonly DemoUnit[] = [...FORMER_UNITS, ...MERGED_UNITS];
