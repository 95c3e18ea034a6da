// How to cite a publication: the publisher (province, office) from the config, the title,
// the as-of time, the dated archive version (a URL that never changes, unlike data/v1), the
// access date and the licence; as plain text and as BibTeX. The site, every README and
// datapackage.json use these same functions.
import type { CongkhaiConfig } from '../config.ts';

export interface CitationInput {
  publisher: CongkhaiConfig['publisher'];
  /** 'YYYY-MM-DD HH:MM:SS', Vietnam time. */
  asOf: string;
  /** 'YYYY-MM-DD': when the citing reader took the data (default: the publication day). */
  accessed: string;
  /** What is cited, when not the whole publication (e.g. one unit's data). */
  subject?: string;
}

const TITLE = 'Công khai kết quả giải quyết thủ tục hành chính';

/** The as-of date that names the archived version ('YYYY-MM-DD'). */
export const archiveDate = (asOf: string) => asOf.slice(0, 10);

/** The dated archive version's address: absolute when the config gives the site's URL. */
export function archiveUrl(publisher: CongkhaiConfig['publisher'], asOf: string, path = ''): string {
  const base = publisher.url ? publisher.url.replace(/\/+$/, '') : '';
  return `${base}/data/v1/archive/${archiveDate(asOf)}/${path}`;
}

const viDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

export function citationTitle(input: Pick<CitationInput, 'publisher' | 'subject'>): string {
  const place = input.publisher.province;
  return input.subject ? `${TITLE}: ${input.subject} (${place})` : `${TITLE}, ${place}`;
}

/** Plain text, Vietnamese: author (year). Title, data as of …. [dữ liệu]. URL. Accessed …. Licence. */
export function citationText(input: CitationInput, path = ''): string {
  const year = input.asOf.slice(0, 4);
  return (
    `${input.publisher.office} (${year}). ${citationTitle(input)}, số liệu đến ${viDate(input.asOf)} [dữ liệu]. ` +
    `${archiveUrl(input.publisher, input.asOf, path)}. Truy cập ngày ${viDate(input.accessed)}. ` +
    `Giấy phép CC BY 4.0. Liên hệ: ${input.publisher.contact}.`
  );
}

const bibEscape = (text: string) => text.replace(/([{}\\&%$#_])/g, '\\$1');

export function citationBibtex(input: CitationInput, path = ''): string {
  const key = `congkhai-${archiveDate(input.asOf)}`;
  return [
    `@misc{${key},`,
    `  author = {{${bibEscape(input.publisher.office)}}},`,
    `  title = {{${bibEscape(citationTitle(input))}}},`,
    `  year = {${input.asOf.slice(0, 4)}},`,
    `  howpublished = {\\url{${archiveUrl(input.publisher, input.asOf, path)}}},`,
    `  note = {Số liệu đến ${viDate(input.asOf)}; truy cập ngày ${viDate(input.accessed)}; giấy phép CC BY 4.0},`,
    `  urldate = {${input.accessed}}`,
    '}',
    '',
  ].join('\n');
}
