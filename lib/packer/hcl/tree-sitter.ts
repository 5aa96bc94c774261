// The tree-sitter HCL grammar (WASM, no native build), loaded once per process. Loading is
// asynchronous; parsing is not, so templatefile() can parse during evaluation once any
// parseHcl call has loaded the grammar.
import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';

let loading: Promise<Parser> | undefined;
let loaded: Parser | undefined;

/** Loads the grammar (once); every parse function awaits this first. */
export function loadHclParser(): Promise<Parser> {
  loading ??= (async () => {
    await Parser.init();
    const wasm = createRequire(import.meta.url).resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm');
    const parser = new Parser();
    parser.setLanguage(await Language.load(wasm));
    loaded = parser;
    return parser;
  })();
  return loading;
}

export const isHclParserLoaded = (): boolean => loaded !== undefined;

/** Parses with the loaded grammar; the caller deletes the tree (it lives in WASM memory). */
export function parseTree(text: string): Tree {
  if (loaded === undefined) throw new Error('the HCL grammar is not loaded: await loadHclParser() first');
  const tree = loaded.parse(text);
  if (tree === null) throw new Error('tree-sitter returned no tree for an HCL file');
  return tree;
}
