// PNG beside every SVG chart, rendered at build by resvg (@resvg/resvg-js) with the site's own
// font (Be Vietnam Pro, TTF from @expo-google-fonts) so Vietnamese diacritics draw the same on
// any machine, with or without system fonts. Used for downloads and for the preview card that
// Zalo and Facebook show when a unit page is shared.
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);
const FONT_FILES = [
  require.resolve('@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf'),
  require.resolve('@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf'),
];

export interface PngOptions {
  /** Output width in pixels (the SVG is scaled; default: twice its own width, for sharp text). */
  width?: number;
  /** Page colour behind the chart (charts are transparent). */
  background?: string;
}

export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  const resvg = new Resvg(svg, {
    background: options.background ?? '#ffffff',
    fitTo: options.width ? { mode: 'width', value: options.width } : { mode: 'zoom', value: 2 },
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: 'Be Vietnam Pro' },
  });
  return Buffer.from(resvg.render().asPng());
}
