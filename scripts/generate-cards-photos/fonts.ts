import { existsSync } from 'node:fs';
import { GlobalFonts } from '@napi-rs/canvas';

/** A registered font file: `family` is the alias used in `ctx.font`, unique per file. */
export interface Face {
  family: string;
  style: 'sans' | 'serif' | 'condensed' | 'light' | 'mono' | 'geometric';
  bold: boolean;
  italic?: boolean;
}

const DEJAVU = '/usr/share/fonts/truetype/dejavu';
const LIBERATION = '/usr/share/fonts/truetype/liberation';
const URW = '/usr/share/fonts/opentype/urw-base35';
const DROID = '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf';

/**
 * Font files by alias (Debian packages fonts-dejavu-core, fonts-dejavu-extra, fonts-liberation, fonts-urw-base35,
 * fonts-droid-fallback). Registered explicitly so that a rendering never depends on fontconfig's choice.
 */
const FILES: Array<[Face, string]> = [
  [{ family: 'C-DejaVuSans', style: 'sans', bold: false }, `${DEJAVU}/DejaVuSans.ttf`],
  [{ family: 'C-DejaVuSans-Bold', style: 'sans', bold: true }, `${DEJAVU}/DejaVuSans-Bold.ttf`],
  [{ family: 'C-DejaVuSans-ExtraLight', style: 'light', bold: false }, `${DEJAVU}/DejaVuSans-ExtraLight.ttf`],
  [{ family: 'C-DejaVuSansCondensed', style: 'condensed', bold: false }, `${DEJAVU}/DejaVuSansCondensed.ttf`],
  [{ family: 'C-DejaVuSansCondensed-Bold', style: 'condensed', bold: true }, `${DEJAVU}/DejaVuSansCondensed-Bold.ttf`],
  [{ family: 'C-DejaVuSerif', style: 'serif', bold: false }, `${DEJAVU}/DejaVuSerif.ttf`],
  [{ family: 'C-DejaVuSerif-Bold', style: 'serif', bold: true }, `${DEJAVU}/DejaVuSerif-Bold.ttf`],
  [{ family: 'C-DejaVuSerifCondensed', style: 'condensed', bold: false }, `${DEJAVU}/DejaVuSerifCondensed.ttf`],
  [{ family: 'C-LiberationSans', style: 'sans', bold: false }, `${LIBERATION}/LiberationSans-Regular.ttf`],
  [{ family: 'C-LiberationSans-Bold', style: 'sans', bold: true }, `${LIBERATION}/LiberationSans-Bold.ttf`],
  [
    { family: 'C-LiberationSans-Italic', style: 'sans', bold: false, italic: true },
    `${LIBERATION}/LiberationSans-Italic.ttf`,
  ],
  [
    { family: 'C-LiberationSansNarrow', style: 'condensed', bold: false },
    `${LIBERATION}/LiberationSansNarrow-Regular.ttf`,
  ],
  [
    { family: 'C-LiberationSansNarrow-Bold', style: 'condensed', bold: true },
    `${LIBERATION}/LiberationSansNarrow-Bold.ttf`,
  ],
  [{ family: 'C-LiberationSerif', style: 'serif', bold: false }, `${LIBERATION}/LiberationSerif-Regular.ttf`],
  [{ family: 'C-LiberationSerif-Bold', style: 'serif', bold: true }, `${LIBERATION}/LiberationSerif-Bold.ttf`],
  [
    { family: 'C-LiberationSerif-Italic', style: 'serif', bold: false, italic: true },
    `${LIBERATION}/LiberationSerif-Italic.ttf`,
  ],
  [{ family: 'C-LiberationMono', style: 'mono', bold: false }, `${LIBERATION}/LiberationMono-Regular.ttf`],
  [{ family: 'C-NimbusSans', style: 'sans', bold: false }, `${URW}/NimbusSans-Regular.otf`],
  [{ family: 'C-NimbusSans-Bold', style: 'sans', bold: true }, `${URW}/NimbusSans-Bold.otf`],
  [{ family: 'C-NimbusSansNarrow', style: 'condensed', bold: false }, `${URW}/NimbusSansNarrow-Regular.otf`],
  [{ family: 'C-NimbusSansNarrow-Bold', style: 'condensed', bold: true }, `${URW}/NimbusSansNarrow-Bold.otf`],
  [{ family: 'C-NimbusRoman', style: 'serif', bold: false }, `${URW}/NimbusRoman-Regular.otf`],
  [{ family: 'C-NimbusRoman-Bold', style: 'serif', bold: true }, `${URW}/NimbusRoman-Bold.otf`],
  [{ family: 'C-C059', style: 'serif', bold: false }, `${URW}/C059-Roman.otf`],
  [{ family: 'C-C059-Bold', style: 'serif', bold: true }, `${URW}/C059-Bold.otf`],
  [{ family: 'C-P052', style: 'serif', bold: false }, `${URW}/P052-Roman.otf`],
  [{ family: 'C-P052-Bold', style: 'serif', bold: true }, `${URW}/P052-Bold.otf`],
  [{ family: 'C-URWBookman-Light', style: 'light', bold: false }, `${URW}/URWBookman-Light.otf`],
  [{ family: 'C-URWBookman-Demi', style: 'serif', bold: true }, `${URW}/URWBookman-Demi.otf`],
  [{ family: 'C-URWGothic-Book', style: 'geometric', bold: false }, `${URW}/URWGothic-Book.otf`],
  [{ family: 'C-URWGothic-Demi', style: 'geometric', bold: true }, `${URW}/URWGothic-Demi.otf`],
  [{ family: 'C-NimbusMono', style: 'mono', bold: false }, `${URW}/NimbusMonoPS-Regular.otf`],
];

/** The CJK fallback, for logo glyphs only. */
export const CJK_FAMILY = 'C-DroidSansFallback';

export const FONT_PACKAGES =
  'fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-urw-base35 fonts-droid-fallback';

/** The font files the generator needs that this machine lacks. */
export function missingFonts(): string[] {
  return [...FILES.map(([, path]) => path), DROID].filter((path) => !existsSync(path));
}

export function registerFonts(): Face[] {
  const missing = missingFonts();
  if (missing.length)
    throw new Error(`fonts missing: ${missing.join(', ')} (Debian: apt-get install ${FONT_PACKAGES})`);
  for (const [face, path] of FILES) GlobalFonts.registerFromPath(path, face.family);
  GlobalFonts.registerFromPath(DROID, CJK_FAMILY);
  return FILES.map(([face]) => face);
}

export function font(face: Face, px: number): string {
  return `${Math.round(px)}px "${face.family}"`;
}
