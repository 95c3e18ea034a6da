// The site's two languages. Vietnamese pages live at /x/, their English twins at /en/x/ (the
// same Vietnamese slugs, so one mapping holds both ways). Astro's i18n routing builds the /en/
// pages (astro.config.mjs: fallback en → vi, fallbackType 'rewrite': every page renders a second
// time under /en/ with Astro.currentLocale 'en'); the pages pick their words and number formats
// from the language here. Proper names (units, procedures, fields) are never translated.
import { countDefinition, type RateDefinition, rateDefinition } from '../../../functions/core/kpi-catalog.ts';
import { formatsFor } from './format.ts';
import { bandWords } from './funnel.ts';
import { LANGS, type Lang, langOf } from './lang.ts';
import type { FunnelBand, UnitLevel } from './published-data.ts';
import { KPIS, type KpiKey, LEVEL_LABELS, LEVEL_SHORT, type NoValueReason } from './site-model.ts';

export { LANGS, type Lang, langOf } from './lang.ts';

/** The path of a Vietnamese page in a language: '/co-quan/' → '/en/co-quan/'. */
export function localePath(lang: Lang, vietnamesePath: string): string {
  if (lang === 'vi') return vietnamesePath;
  return vietnamesePath === '/' ? '/en/' : `/en${vietnamesePath}`;
}

/** The Vietnamese page of any page path: '/en/co-quan/' → '/co-quan/'. */
export function vietnamesePathOf(path: string): string {
  if (path === '/en' || path === '/en/') return '/';
  return path.startsWith('/en/') ? path.slice(3) : path;
}

/** The page in every language and the default (Vietnamese), for <link rel="alternate" hreflang>;
 * `url` makes a path absolute when the publisher's URL is known (open-data.ts siteUrl). */
export function languageAlternates(
  vietnamesePath: string,
  url: (path: string) => string,
): { hreflang: string; href: string }[] {
  return [
    ...LANGS.map((code) => ({ hreflang: code, href: url(localePath(code, vietnamesePath)) })),
    { hreflang: 'x-default', href: url(vietnamesePath) },
  ];
}

/** Picks the words of the page's language: t('Tổng quan', 'Overview'). */
export function translator(lang: Lang): (vi: string, en: string) => string {
  return lang === 'en' ? (_vi, en) => en : (vi) => vi;
}

/** The language names the switch shows, each in its own language. */
export const LANGUAGE_NAMES: Record<Lang, string> = { vi: 'Tiếng Việt', en: 'English' };

/** Open Graph locales. */
export const OG_LOCALES: Record<Lang, string> = { vi: 'vi_VN', en: 'en_GB' };

/** The unit levels in English (site-model.ts LEVEL_LABELS and LEVEL_SHORT hold the Vietnamese). */
export const LEVEL_LABELS_EN: Record<UnitLevel, string> = {
  province: 'Provincial departments and agencies',
  district: 'Districts, towns and cities',
  commune: 'Communes, wards and townships',
};
export const LEVEL_SHORT_EN: Record<UnitLevel, string> = {
  province: 'Departments',
  district: 'District level',
  commune: 'Commune level',
};

/** What a page or component needs of its language: the language, the words, its links, the
 * number and date formats and the level names. `href('/co-quan/')` → '/en/co-quan/' on /en/. */
export function pageLanguage(locale: string | undefined) {
  const lang = langOf(locale);
  return {
    lang,
    t: translator(lang),
    href: (vietnamesePath: string) => localePath(lang, vietnamesePath),
    levelLabels: lang === 'en' ? LEVEL_LABELS_EN : LEVEL_LABELS,
    levelShort: lang === 'en' ? LEVEL_SHORT_EN : LEVEL_SHORT,
    /** A unit's band against the province in words (funnel.ts bandWords in Vietnamese). */
    bandWords: lang === 'en' ? bandWordsEn : bandWords,
    /** A ranked rate's label from the catalog (label_vi / label_en). */
    kpiLabel: (key: KpiKey) => (lang === 'en' ? rateDefinition(key).label_en : KPIS[key].label),
    /** Its short label for narrow places (short_vi / short_en). */
    kpiShort: (key: KpiKey) => (lang === 'en' ? rateDefinition(key).short_en : KPIS[key].short),
    ...formatsFor(lang),
  };
}

/** site-model.ts NO_VALUE_REASONS in English: why a figure shows "—". */
export const NO_VALUE_REASONS_EN: Record<NoValueReason, string> = {
  on_time_rate: 'no dossier was resolved in the period, so there is no on-time rate',
  online_share: 'no new dossier was received in the period, so there is no online share',
  returned_share: 'no dossier ended (resolved, withdrawn or stopped) in the period',
  e_cert_ratio:
    'the unit resolved no certification dossier (field “Chứng thực”) in the period, so there is no electronic certification ratio and this target does not apply',
  change: 'there is no on-time rate of this period or the previous one to compare',
};

/** funnel.ts bandWords in English: the band, and whether it is good news. */
export function bandWordsEn(kpi: KpiKey, band: FunnelBand): string {
  const words = { above: 'Above the province', within: 'Within the limits', below: 'Below the province' }[
    band
  ];
  if (band === 'within') return words;
  const good = (band === 'above') !== KPIS[kpi].lowerIsBetter;
  return `${words} (${good ? 'better' : 'worse'})`;
}

/** kpi-catalog.ts formulaVi in English, from the catalog's English count labels. */
export function formulaEn(rate: RateDefinition): string {
  const label = (name: string) => countDefinition(name).label_en.toLowerCase();
  const den = rate.denominator.map(label);
  return `${label(rate.numerator)} / ${den.length > 1 ? `(${den.join(' + ')})` : den[0]}`;
}
