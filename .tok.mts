import { AnalyzerRegistry } from '/work/main/src/emulators/search-engine/analysis.js';
const a = new AnalyzerRegistry().get('standard');
const texts = ['Jennifer Kim', 'Acme Corp Holdings', 'Chief Executive Officer', '123 Gangnam Street, Seoul'];
let n = 0;
const t0 = performance.now();
for (let i = 0; i < 100000; i++) n += a(texts[i & 3]).length;
console.log('standard', ((performance.now() - t0) / 100000 * 1000).toFixed(2), 'µs/call', n);
const re = /[\p{L}\p{N}]+/gu;
const t1 = performance.now();
for (let i = 0; i < 100000; i++) { re.lastIndex = 0; const s = texts[i & 3]; while (re.exec(s)) n++; }
console.log('simple re', ((performance.now() - t1) / 100000 * 1000).toFixed(2), 'µs/call');
