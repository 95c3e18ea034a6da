// The 1 July 2025 reform of local government as the demo writes it down: districts abolished,
// communes merged into new ones. A former district lists its communes and the new communes
// they became; a new commune is made of whole former communes ("xã Phi Mô") and of shares of
// split ones (["xã Song Mai", 50]: half of its work), in hundredths so that the shares of a
// split commune add up to exactly 100. The district office's own work (đất đai, đăng ký kinh
// doanh, …) went to the new communes, in proportion to how much of the district each took.

export const REFORM_DATE = '2025-07-01';
export const LAST_FORMER_DAY = '2025-06-30';

export type CommunePart = string | readonly [name: string, hundredths: number];
export type NewCommuneSpec = readonly [name: string, parts: readonly CommunePart[]];

export interface FormerDistrict {
  communes: readonly string[];
  becomes: readonly NewCommuneSpec[];
}

/** Successor shares: index into `becomes` → hundredths. */
export type Shares = ReadonlyArray<readonly [index: number, hundredths: number]>;

export interface DistrictSuccession {
  /** For each former commune (in `communes` order), the new communes that took its work. */
  communes: Shares[];
  /** The district office's work, shared out among the new communes (adds up to 100). */
  office: Shares;
}

/** Checks a district's reform and shares its office's work out; throws naming what is wrong. */
export function districtSuccession(district: FormerDistrict, label: string): DistrictSuccession {
  const shares = district.communes.map((): Array<readonly [number, number]> => []);
  const sizes = district.becomes.map(() => 0);
  district.becomes.forEach(([newName, parts], index) => {
    for (const part of parts) {
      const [name, hundredths] = typeof part === 'string' ? [part, 100] : part;
      const at = district.communes.indexOf(name);
      if (at < 0) throw new Error(`${label}: ${newName} is made of ${name}, which is not a commune of it`);
      shares[at]!.push([index, hundredths]);
      sizes[index]! += hundredths;
    }
  });
  shares.forEach((list, at) => {
    const total = list.reduce((sum, [, h]) => sum + h, 0);
    if (total !== 100)
      throw new Error(`${label}: ${district.communes[at]} is shared out ${total}/100 among new communes`);
  });
  // Largest remainder: whole hundredths that add up to exactly 100.
  const all = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (100 * s) / all);
  const office = exact.map(Math.floor);
  const order = exact
    .map((e, i) => [e - Math.floor(e), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const missing = 100 - office.reduce((a, b) => a + b, 0);
  for (let k = 0; k < missing; k++) office[order[k]![1]]! += 1;
  return { communes: shares, office: office.map((h, i) => [i, h] as const) };
}
