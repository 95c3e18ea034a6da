import { describe, expect, test } from 'vitest';
import { svgToPng } from '../../site/src/lib/svg-to-png.ts';

describe('svgToPng', () => {
  test('renders a chart with Vietnamese text to a PNG of the requested width', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100">' +
      '<rect x="10" y="10" width="80" height="80" fill="#c00"/>' +
      '<text x="100" y="55" font-family="Be Vietnam Pro" font-size="16">Tỷ lệ đúng hạn 86,87%</text></svg>';
    const png = svgToPng(svg, { width: 600 });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(600); // IHDR width
    expect(png.readUInt32BE(20)).toBe(200);
    // Text was drawn: the same picture without it compresses smaller.
    const blank = svgToPng(svg.replace(/<text.*<\/text>/, ''), { width: 600 });
    expect(png.byteLength).toBeGreaterThan(blank.byteLength + 500);
  });
});
