// Duplicate keys found in one pass: the same errors yaml's own (quadratic) check gives,
// and a template with 20,000 http.content keys no longer takes seconds to parse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDocument } from 'yaml';
import { parseYamlDocument } from '../../lib/util/yaml-document.js';

const errors = (doc: { errors: { code: string; pos: [number, number] }[] }) => doc.errors.map((e) => [e.code, e.pos[0]]);

const documents = [
  'a: 1\nb: 2\na: 3\n',
  'outer:\n  x: 1\n  x: 2\nother:\n  x: 3\n',
  '{ a: 1, b: 2, a: 3 }',
  '"1": a\n1: b\n', // a string and a number: different keys
  'a: [1,\nb: 1\nb: 2\n', // a syntax error before the duplicate
  'list:\n  - k: 1\n    k: 2\n  - k: 3\n',
  '? [a]\n: 1\n? [a]\n: 2\n', // collections as keys: only equal to themselves
];
for (const text of documents) {
  test(`same errors as yaml's uniqueKeys: ${JSON.stringify(text)}`, () => {
    assert.equal(errors(parseYamlDocument(text, { prettyErrors: false })), errors(parseDocument(text, { prettyErrors: false, uniqueKeys: true })));
  });
}

test('20,000 keys: parsed without yaml comparing keys pairwise, the duplicate still found', () => {
  let text = 'http:\n  content:\n';
  for (let i = 0; i < 20000; i++) text += `    /f${i}.cfg: "file ${i}"\n`;
  text += '    /f7.cfg: again\n';
  // yaml calls a uniqueKeys function once per earlier key in the mapping; it must never be asked.
  let comparisons = 0;
  const begin = Date.now();
  const doc = parseYamlDocument(text, { prettyErrors: false, uniqueKeys: () => (comparisons++, false) });
  assert.is(comparisons, 0);
  assert.equal(errors(doc), [['DUPLICATE_KEY', text.lastIndexOf('/f7.cfg')]]);
  // A guard only (yaml's own check took ~5 s here, this ~1 s on an idle machine).
  assert.ok(Date.now() - begin < 15000);
});

test.run();
