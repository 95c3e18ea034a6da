// The site's two languages, on their own so that formats, words and the site's model can each
// name a page's language without importing one another.
export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** The language of a page from Astro.currentLocale (undefined → Vietnamese). */
export function langOf(locale: string | undefined): Lang {
  return locale === 'en' ? 'en' : 'vi';
}
