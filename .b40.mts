import { route } from '/work/main/src/emulators/opensearch/index.js';
import { SearchEngine } from '/work/main/src/emulators/search-engine/index.js';
const e = new SearchEngine();
e.index('test_index', 'test_id_3', { foo: 'corge' });
const body = Buffer.from('{ "update": { "_id": "test_id_3" } }\n{ "doc": { "foo": "garply" } }\n');
const r = route(e, { method: 'POST', path: '/test_index/_bulk', segments: ['test_index', '_bulk'], params: new URLSearchParams('_source=true'), headers: {}, rawBody: body });
console.log(JSON.stringify(r.body));
