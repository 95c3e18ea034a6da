import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../functions/core/config.ts';
import { citationBibtex, citationText } from '../../functions/core/publish/citation.ts';

describe('citation', () => {
  const config = parseConfig({
    publisher: {
      province: 'Tỉnh Cần Thơ',
      office: 'Văn phòng UBND thành phố Cần Thơ',
      contact: 'dulieu@cantho.gov.vn',
      url: 'https://congkhai.cantho.gov.vn/',
    },
  });
  const input = { publisher: config.publisher, asOf: '2026-11-30 00:00:00', accessed: '2026-12-02' };

  test('names the configured publisher, the dated archive URL, the access date and the licence', () => {
    const text = citationText(input);
    expect(text).toContain('Văn phòng UBND thành phố Cần Thơ (2026)');
    expect(text).toContain('https://congkhai.cantho.gov.vn/data/v1/archive/2026-11-30/');
    expect(text).toContain('Truy cập ngày 02/12/2026');
    expect(text).toContain('CC BY 4.0');
    expect(text).toContain('dulieu@cantho.gov.vn');
    expect(text).not.toMatch(/data\/v1\/(?!archive)/);
  });

  test('BibTeX with the same facts, braces escaped', () => {
    const bib = citationBibtex(input);
    expect(bib).toMatch(/^@misc\{congkhai-2026-11-30,/);
    expect(bib).toContain('author = {{Văn phòng UBND thành phố Cần Thơ}}');
    expect(bib).toContain('urldate = {2026-12-02}');
    expect(bib).toContain('\\url{https://congkhai.cantho.gov.vn/data/v1/archive/2026-11-30/}');
  });

  test('an unconfigured publisher says so instead of inventing one', () => {
    expect(citationText({ ...input, publisher: parseConfig({}).publisher })).toContain('chưa khai báo');
  });
});
