// Test helper: a strict little XML reader for the descriptors kiln writes (elements,
// attributes, text, the five predefined entities; no comments, CDATA or DTDs). It
// throws on anything malformed, such as a mismatched closing tag, so a test that
// walks the tree also checks that the document is well-formed.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(\w+);/g, (_, name: string) => {
    const value = ENTITIES[name];
    if (value === undefined) throw new Error(`unknown entity &${name};`);
    return value;
  });

export function parseXml(source: string): XmlElement {
  const body = source.replace(/^<\?xml[^?]*\?>\s*/, '');
  const token = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/gy;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = token.exec(body))) {
    consumed = token.lastIndex;
    const [, closing, name, attrs, selfClosing, text] = match;
    if (text !== undefined) {
      if (stack.length) stack.at(-1)!.text += decode(text);
      else if (text.trim()) throw new Error(`text outside the root element: ${text.trim()}`);
      continue;
    }
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key, value] of attrs!.matchAll(/([\w:.-]+)="([^"]*)"/g)) attributes[key!] = decode(value!);
    const element: XmlElement = { name: name!, attributes, children: [], text: '' };
    if (stack.length) stack.at(-1)!.children.push(element);
    else if (root) throw new Error('two root elements');
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (consumed !== body.length) throw new Error(`cannot parse at offset ${consumed}: ${body.slice(consumed, consumed + 40)}`);
  if (!root || stack.length) throw new Error('unclosed elements');
  for (const e of walk(root)) e.text = e.children.length ? e.text.trim() : e.text;
  return root;
}

function* walk(e: XmlElement): Generator<XmlElement> {
  yield e;
  for (const c of e.children) yield* walk(c);
}

/** The single child called `name`; throws when there is none or several. */
export function child(e: XmlElement, name: string): XmlElement {
  const found = e.children.filter((c) => c.name === name);
  if (found.length !== 1) throw new Error(`<${e.name}> has ${found.length} <${name}>`);
  return found[0]!;
}

/** An Item's fields as name -> text, in document order. */
export function fields(e: XmlElement): [string, string][] {
  return e.children.map((c) => [c.name, c.text]);
}
