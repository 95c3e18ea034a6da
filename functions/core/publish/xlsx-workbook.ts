// A minimal OOXML workbook (.xlsx) writer for the publisher's spreadsheet editions: sheets of
// text and number cells with column widths, a bold header row, an optional frozen header,
// three cell styles (plain, integer `#,##0`, rate `0.00%`) and the creator. The sheet XML is
// built as plain text row by row and deflated in chunks (zip-file.ts): exceljs spent most of
// the publisher's CPU building an object per cell and serialising it through its XML stream.
// Text goes in inline strings: a shared-string table was measured slower (hashing every
// distinct text: the overdue dossiers' references and times are nearly all distinct) for
// only 20% less XML. No dates inside, so the same sheets give the same bytes.
import { ZipBuilder } from './zip-file.ts';

/** How a column's numbers show (the cell keeps the exact value). */
export type XlsxStyle = 'plain' | 'integer' | 'rate';

export interface XlsxColumn {
  header: string;
  /** In characters, as spreadsheets count column widths. */
  width: number;
  style: XlsxStyle;
}

/** A cell: text, a number, or empty (null; empty text and a non-finite number are written empty). */
export type XlsxCell = string | number | null;

export interface XlsxSheet {
  /** At most 31 characters, none of []:*?/\ (spreadsheet rules; the caller's names obey them). */
  name: string;
  columns: readonly XlsxColumn[];
  /** Keep the header row in view while scrolling. */
  freezeHeader: boolean;
  /** The data rows, one cell per column. */
  rows: Iterable<readonly XlsxCell[]>;
}

// cellXfs indexes in styles.xml below. Number formats 3 (#,##0) and 10 (0.00%) are built in:
// every spreadsheet shows them with its own locale's separators (113.048; 86,87% in Vietnamese).
const STYLE_INDEX: Record<XlsxStyle, number> = { plain: 0, integer: 3, rate: 2 };
const HEADER_STYLE = 1;

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

const STYLES_XML =
  `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">` +
  '<fonts count="2">' +
  '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '</fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="4">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

/** Characters XML 1.0 forbids (C0 controls but tab, LF, CR; U+FFFE/U+FFFF; lone surrogates). */
const XML_FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Anything that needs escaping or removing: the common text has none and is kept as it is. */
const NEEDS_ESCAPE = /[&<>"\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\r': '&#13;',
};

/** `text` as XML character data or an attribute value (quoted with "). */
export function xmlEscape(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(XML_FORBIDDEN, '').replace(/[&<>"\r]/g, (c) => ENTITIES[c]!);
}

/** 'A', 'B', …, 'Z', 'AA', … for a 0-based column index. */
function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** Text whose spaces or line breaks at either end must be kept (XML would drop them). */
const EDGE_SPACE = /^\s|\s$/;
/**
 * In a cell's text, spreadsheets read `_xHHHH_` as the character U+HHHH (ECMA-376 ST_Xstring):
 * such text as written is kept by escaping its underscore as `_x005F_`.
 */
const ESCAPE_LIKE = /_(?=x[0-9A-Fa-f]{4}_)/g;
/** Text needing any care (edge spaces, escaping, removal): one test, the common text passes. */
const NEEDS_CARE = new RegExp(`${EDGE_SPACE.source}|${NEEDS_ESCAPE.source}`);

const textElement = (text: string) =>
  NEEDS_CARE.test(text) || text.includes('_x')
    ? `<t${EDGE_SPACE.test(text) ? ' xml:space="preserve"' : ''}>${xmlEscape(text).replace(ESCAPE_LIKE, '_x005F_')}</t>`
    : `<t>${text}</t>`;

const textCell = (ref: string, style: number, text: string) =>
  `<c r="${ref}"${style ? ` s="${style}"` : ''} t="inlineStr"><is>${textElement(text)}</is></c>`;

/** Writes one worksheet part. */
function writeSheet(write: (text: string) => void, sheet: XlsxSheet, selected: boolean): void {
  const letters = sheet.columns.map((_, i) => columnLetters(i));
  // Per column, the start of a number cell's tag after its reference: style included.
  const numberTail = sheet.columns.map((c) =>
    STYLE_INDEX[c.style] ? `" s="${STYLE_INDEX[c.style]}"><v>` : '"><v>',
  );
  const pane = sheet.freezeHeader
    ? '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    : '';
  const cols = sheet.columns
    .map((c, i) => {
      const style = STYLE_INDEX[c.style] ? ` style="${STYLE_INDEX[c.style]}"` : '';
      return `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"${style}/>`;
    })
    .join('');
  write(
    `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
      `<sheetViews><sheetView${selected ? ' tabSelected="1"' : ''} workbookViewId="0">${pane}</sheetView></sheetViews>` +
      `<sheetFormatPr defaultRowHeight="15"/>${cols ? `<cols>${cols}</cols>` : ''}<sheetData>`,
  );
  write(
    `<row r="1">${sheet.columns.map((c, i) => textCell(`${letters[i]}1`, HEADER_STYLE, c.header)).join('')}</row>`,
  );
  let r = 1;
  for (const cells of sheet.rows) {
    r++;
    let xml = `<row r="${r}">`;
    for (let i = 0; i < cells.length; i++) {
      const value = cells[i];
      if (typeof value === 'number') {
        if (Number.isFinite(value)) xml += `<c r="${letters[i]}${r}${numberTail[i]}${value}</v></c>`;
      } else if (typeof value === 'string' && value !== '') {
        xml += textCell(`${letters[i]}${r}`, STYLE_INDEX[sheet.columns[i]!.style], value);
      }
    }
    write(`${xml}</row>`);
  }
  write('</sheetData></worksheet>');
}

/**
 * zlib's level for a workbook. On field_kpis' 26 MB of sheet XML (1M-dossier bench), level 1
 * deflates in 0.13 s to 4.0 MB (exceljs' file: 4.1 MB); level 6 would take 0.36 s for 3.2 MB.
 */
const XLSX_ZIP_LEVEL = 1;

/** The workbook's bytes: `sheets` in order, `creator` in its document properties. */
export function xlsxBytes(sheets: readonly XlsxSheet[], creator: string): Buffer {
  const zip = new ZipBuilder(XLSX_ZIP_LEVEL);
  const sheetPart = (i: number) => `xl/worksheets/sheet${i + 1}.xml`;
  zip.add(
    '[Content_Types].xml',
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      `<Override PartName="/xl/workbook.xml" ContentType="${CONTENT_TYPE}.sheet.main+xml"/>` +
      sheets
        .map((_, i) => `<Override PartName="/${sheetPart(i)}" ContentType="${CONTENT_TYPE}.worksheet+xml"/>`)
        .join('') +
      `<Override PartName="/xl/styles.xml" ContentType="${CONTENT_TYPE}.styles+xml"/>` +
      '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
      '</Types>',
  );
  zip.add(
    '_rels/.rels',
    `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">` +
      `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
      '</Relationships>',
  );
  zip.add(
    'docProps/core.xml',
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
      'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
      'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      `<dc:creator>${xmlEscape(creator)}</dc:creator></cp:coreProperties>`,
  );
  zip.add(
    'xl/workbook.xml',
    `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView activeTab="0"/></bookViews><sheets>` +
      sheets
        .map((s, i) => `<sheet name="${xmlEscape(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
        .join('') +
      '</sheets></workbook>',
  );
  zip.add(
    'xl/_rels/workbook.xml.rels',
    `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">` +
      sheets
        .map(
          (_, i) =>
            `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
        )
        .join('') +
      `<Relationship Id="rId${sheets.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/>` +
      '</Relationships>',
  );
  zip.add('xl/styles.xml', STYLES_XML);
  sheets.forEach((sheet, i) => {
    const entry = zip.entry(sheetPart(i));
    writeSheet((text) => entry.write(text), sheet, i === 0);
    entry.end();
  });
  return zip.bytes();
}
