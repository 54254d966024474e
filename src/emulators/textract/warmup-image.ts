/**
 * A 300×80 1-bit PNG reading "Warm Up Tesseract / +1 (555) 0123 a@b.com". Each worker reads it once
 * while starting: the first recognition in a fresh worker is several times slower (WebAssembly
 * tier-up), and that cost belongs in the start-up time, not in the first user's card.
 */
export const WARMUP_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAASwAAABQAQAAAACLkXXWAAACjklEQVR42u3VMW/TQBQHcEcdwlSLncYDAzNzXd9XYWNFytBWcnNFqlSQEFZHlnjjOyBFSiASXqLcwIrAUUpvQdTRgZJTXu5Pz21I7CZqR4Z4OFnWT+/53b27c3CfJ3M2bMPuYELR9bvQADneGiZH6xhfyyCxjv3Rq5kpMPVDZ43+MIHQvxgksY/kDWZxlXyvwM71p+Dt2UsInbqQI+/VJHpz9OhxVitG+6lFM/APIfQwgZQiqMvYJy37RdZXaDZCDaGlhJSSKTAfZab79WUmctaCviyWoL/V09qCJfJ0wtmOqYgy20+WonWqqXGdHTossVn8PF5OCuIJm2ldYhQ/KTLDpWWyxNpzpvJKAT7OWbFSYlGclyCHQ2EnpLEv4z09KjHDol7fsqw6iCBH0YMXpydH1Ms8r8SGny0j72K+punM+CHz1nSvvF+T/89sc9Rs2EpGwNdK6h7vwniErnHtGehSmWVAy7I9UDWDM6nab4Nb7BzwIdEmaHWO4FABSKjMWA8mtMzwqeqZRt2y2IRlRv+Y0gTDp0gR7PpdTPjpuMaWGFmGG6Zwwg++tM6QBg9/v/YWjGbign8Am7M4qA9bIWQzVF2xxGgrdR2eM4ILBGPZCiG+kpI3LNuyTMukxnKmcybHLcMFmf05Sys2gv05L2cKCh1fyhKzSWc5i9uWyat4kX+5jo1vmIAGu2L+bXadNM6TxsoyKcKcjQtM06VkMZsqsrMCFsj3IUH0qMhspR5jWpHhWiEIsmeUz9uCoeMSVTL3mDOqdradgy28a3LQmUprTwvMoDphA3B4nW2n4SKJOKir7Jou2PwiXrovwPSKJr/NouGqvWC7BcuNmLqrWNsOszt31nc7TDdnyL3ZX3h56qq1CS+uAAAAAElFTkSuQmCC',
  'base64',
);
