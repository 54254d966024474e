/**
 * CloudSearch accepts option objects written loosely, as its own docs do: `{sort:'count', size:5}`,
 * `{fields:['title^2','body']}`. This turns single-quoted strings and bare keys into strict JSON and parses it.
 */
export function parseRelaxedJson(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) {
          value += text[j + 1] === c ? c : text.slice(j, j + 2);
          j += 2;
          continue;
        }
        value += text[j];
        j++;
      }
      if (j >= text.length) throw new SyntaxError('unterminated string');
      out += c === '"' ? `"${value}"` : JSON.stringify(value.replace(/\\(["\\/bfnrtu])/g, (m) => JSON.parse(`"${m}"`)));
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_$.]/.test(text[j])) j++;
      const word = text.slice(i, j);
      out += word === 'true' || word === 'false' || word === 'null' ? word : JSON.stringify(word);
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return JSON.parse(out);
}
