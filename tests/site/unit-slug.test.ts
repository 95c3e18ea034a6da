// One slug function for unit URLs: injective, readable for ordinary codes, refusing what it
// cannot name; and a site built with hostile unit codes gives each its own page and links.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { afterAll, describe, expect, it } from 'vitest';
import { UnitSlugError, unitCodeFromSlug, unitPath, unitSlug } from '../../site/src/lib/unit-slug.ts';
import { DEFAULT_SAMPLE, makeSamplePublishedData, SAMPLE_UNITS } from './make-sample-published-data.ts';
import { type BuiltSite, buildAndServeFolder } from './site-fixture.ts';

const HOSTILE = ['.', '..', 'A/B', 'A?B', 'A#B', 'A-B', 'A_B', 'A%2FB', 'a b', 'Đ/1', '_2f_'];

describe('unitSlug', () => {
  it('keeps ordinary codes as they are', () => {
    expect(unitSlug('000.00.01.H22')).toBe('000.00.01.H22');
    expect(unitSlug('BG-H01-X01')).toBe('BG-H01-X01');
    expect(unitSlug('26734')).toBe('26734');
  });

  it('gives distinct, safe segments to codes that share characters', () => {
    const slugs = HOSTILE.map(unitSlug);
    expect(new Set(slugs).size).toBe(HOSTILE.length);
    for (const [index, slug] of slugs.entries()) {
      expect(slug, HOSTILE[index]).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/);
      expect(unitCodeFromSlug(slug)).toBe(HOSTILE[index]);
    }
    expect(unitSlug('.')).toBe('_2e_');
    expect(unitSlug('..')).toBe('_2e_.');
    expect(unitSlug('A/B')).toBe('A_2f_B');
    expect(unitPath('A#B')).toBe('/don-vi/A_23_B/');
  });

  it('refuses what it cannot name, saying which code', () => {
    expect(() => unitSlug('')).toThrow(UnitSlugError);
    expect(() => unitSlug('X'.repeat(300))).toThrow(/Unit code "X+…": too long for a page name/);
  });
});

describe('a site whose unit codes are hostile', () => {
  let site: BuiltSite | undefined;
  afterAll(async () => site?.server.close());

  it('builds, and each code has its own page, linked from the unit list', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'congkhai-site-slugs-'));
    const agency = SAMPLE_UNITS[0]!;
    const units = [
      ...SAMPLE_UNITS,
      ...HOSTILE.map((code, index) => ({ ...agency, code, name: `Ban thử nghiệm số ${index + 1}` })),
    ];
    await makeSamplePublishedData(outDir, { ...DEFAULT_SAMPLE, units });
    site = await buildAndServeFolder(outDir);
    const list = parseHTML(await (await fetch(new URL('/tim-kiem/', site.server.url))).text()).document;
    for (const [index, code] of HOSTILE.entries()) {
      const name = `Ban thử nghiệm số ${index + 1}`;
      const link = Array.from(list.querySelectorAll('main a')).find((a) => a.textContent === name);
      expect(link?.getAttribute('href'), code).toBe(unitPath(code));
      const response = await fetch(new URL(unitPath(code), site.server.url));
      expect(response.status, code).toBe(200);
      const page = parseHTML(await response.text()).document;
      expect(page.querySelector('h1')?.textContent, code).toBe(name);
      expect(page.querySelector('p.lead')?.textContent, code).toContain(`Mã đơn vị: ${code}.`);
    }
  });
});
