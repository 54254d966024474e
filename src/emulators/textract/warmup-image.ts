import { loadCanvas, renderRegion } from './image-scale.js';

/**
 * A 300×80 1-bit PNG reading "Warm Up Tesseract / +1 (555) 0123 a@b.com": what a worker reads while starting when
 * no image library is installed to draw `renderWarmUpPage`.
 */
export const WARMUP_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAASwAAABQAQAAAACLkXXWAAACjklEQVR42u3VMW/TQBQHcEcdwlSLncYDAzNzXd9XYWNFytBWcnNFqlSQEFZHlnjjOyBFSiASXqLcwIrAUUpvQdTRgZJTXu5Pz21I7CZqR4Z4OFnWT+/53b27c3CfJ3M2bMPuYELR9bvQADneGiZH6xhfyyCxjv3Rq5kpMPVDZ43+MIHQvxgksY/kDWZxlXyvwM71p+Dt2UsInbqQI+/VJHpz9OhxVitG+6lFM/APIfQwgZQiqMvYJy37RdZXaDZCDaGlhJSSKTAfZab79WUmctaCviyWoL/V09qCJfJ0wtmOqYgy20+WonWqqXGdHTossVn8PF5OCuIJm2ldYhQ/KTLDpWWyxNpzpvJKAT7OWbFSYlGclyCHQ2EnpLEv4z09KjHDol7fsqw6iCBH0YMXpydH1Ms8r8SGny0j72K+punM+CHz1nSvvF+T/89sc9Rs2EpGwNdK6h7vwniErnHtGehSmWVAy7I9UDWDM6nab4Nb7BzwIdEmaHWO4FABSKjMWA8mtMzwqeqZRt2y2IRlRv+Y0gTDp0gR7PpdTPjpuMaWGFmGG6Zwwg++tM6QBg9/v/YWjGbign8Am7M4qA9bIWQzVF2xxGgrdR2eM4ILBGPZCiG+kpI3LNuyTMukxnKmcybHLcMFmf05Sys2gv05L2cKCh1fyhKzSWc5i9uWyat4kX+5jo1vmIAGu2L+bXadNM6TxsoyKcKcjQtM06VkMZsqsrMCFsj3IUH0qMhspR5jWpHhWiEIsmeUz9uCoeMSVTL3mDOqdradgy28a3LQmUprTwvMoDphA3B4nW2n4SKJOKir7Jou2PwiXrovwPSKJr/NouGqvWC7BcuNmLqrWNsOszt31nc7TDdnyL3ZX3h56qq1CS+uAAAAAElFTkSuQmCC',
  'base64',
);

const PAGE_LINES: [font: string, text: string][] = [
  ['bold 40px sans-serif', 'Warm-Up Tesseract'],
  ['24px sans-serif', 'Principal Engineer, Reading & Recognition'],
  ['bold 28px serif', 'Octember Kit Ltd.'],
  ['22px sans-serif', 'Tel +1 (555) 010-2345 ext. 67 | Fax 0171 234 5678'],
  ['22px sans-serif', 'warm.up@octember.example.com   www.octember.example'],
  ['22px sans-serif', '1200 Harbour Street, Suite 400, Seattle, WA 98101'],
];

/**
 * A card-sized page of text, drawn and prepared (grey, evened out) as a photo would be, or undefined without an image
 * library. Each worker reads it while starting: a fresh worker's first card took about twice as long as the next
 * (WebAssembly tier-up, the model's first use, the image library's loading), and that belongs in the start-up, not
 * in the first user's card.
 */
export async function renderWarmUpPage(): Promise<{ pgm: Uint8Array; width: number; height: number } | undefined> {
  const canvas = await loadCanvas();
  if (!canvas) return undefined;
  const width = 1000;
  const height = 480;
  const page = canvas.createCanvas(width, height);
  const ctx = page.getContext('2d');
  ctx.fillStyle = '#f3efe6';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#1d1d1f';
  let y = 80;
  for (const [font, text] of PAGE_LINES) {
    ctx.font = font;
    ctx.fillText(text, 60, y);
    y += 62;
  }
  const png = await page.encode('png');
  const pgm = await renderRegion(png, { left: 0, top: 0, width, height }, 1, { flatten: true });
  return pgm && { pgm, width, height };
}
