// A small, strict XML reader for OSS response documents: elements, text, CDATA, comments and
// processing instructions, attributes checked for form but dropped. It returns the loose tree the
// helpers in xmlParse.ts read: an element with children is an object of them (a repeated name
// becomes an array, in document order), an element with only text is that text (entities decoded),
// an empty element is ''. Text beside child elements that is not whitespace is kept under '#text'.
//
// Written for listings at scale: one pass over the string with indexOf, text taken as slices, no
// second validation pass and no per-character building (a 1000-key ListObjectsV2 page is about a
// tenth of the time and garbage fast-xml-parser took). Nodes have no prototype, so an element named
// `__proto__` or `constructor` is a plain child. A DOCTYPE is refused: OSS never sends one, and its
// entities are the classic way to make a parser do unbounded work.

export type XmlTreeNode = { [name: string]: unknown };

export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
}

interface Open {
  name: string;
  node: XmlTreeNode | undefined;
  /** Text so far, plain pieces decoded as they come (CDATA pieces are taken as written). */
  text: string;
}

/** Parses `text`; returns the document as an object holding its root element under the root's name. */
export function parseXmlTree(text: string, decodeText: (raw: string) => string): XmlTreeNode {
  const doc: XmlTreeNode = Object.create(null) as XmlTreeNode;
  const stack: Open[] = [];
  let rootSeen = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;

  const fail = (what: string): never => {
    throw new XmlSyntaxError(`${what} at offset ${i}`);
  };

  while (i < n) {
    const lt = text.indexOf('<', i);
    const end = lt < 0 ? n : lt;
    if (end > i) {
      const raw = text.slice(i, end);
      const top = stack[stack.length - 1];
      if (top) top.text += decodeText(raw);
      else if (!isWhitespace(raw)) fail('text outside the root element');
      i = end;
      if (lt < 0) break;
    }
    // At a '<'.
    const c = text.charCodeAt(i + 1);
    if (c === 0x3f /* ? */) {
      const close = text.indexOf('?>', i + 2);
      if (close < 0) fail('unterminated processing instruction');
      i = close + 2;
    } else if (c === 0x21 /* ! */) {
      if (text.startsWith('<!--', i)) {
        const close = text.indexOf('-->', i + 4);
        if (close < 0) fail('unterminated comment');
        i = close + 3;
      } else if (text.startsWith('<![CDATA[', i)) {
        const close = text.indexOf(']]>', i + 9);
        if (close < 0) fail('unterminated CDATA section');
        const top = stack[stack.length - 1];
        if (!top) fail('CDATA outside the root element');
        top!.text += text.slice(i + 9, close);
        i = close + 3;
      } else {
        fail('a DOCTYPE or other declaration, which OSS never sends');
      }
    } else if (c === 0x2f /* / */) {
      const nameEnd = scanName(text, i + 2);
      const name = text.slice(i + 2, nameEnd);
      const j = skipWhitespace(text, nameEnd);
      if (text.charCodeAt(j) !== 0x3e /* > */) fail(`malformed end tag </${name}`);
      const top = stack.pop();
      if (!top) fail(`end tag </${name}> without a start tag`);
      if (top!.name !== name) fail(`end tag </${name}> where </${top!.name}> was expected`);
      i = j + 1;
      close(top!);
    } else {
      const nameEnd = scanName(text, i + 1);
      if (nameEnd === i + 1) fail('a "<" that starts no tag');
      const name = text.slice(i + 1, nameEnd);
      let j = skipAttributes(text, nameEnd, fail);
      let selfClosing = false;
      if (text.charCodeAt(j) === 0x2f /* / */) {
        selfClosing = true;
        j++;
      }
      if (text.charCodeAt(j) !== 0x3e /* > */) fail(`malformed start tag <${name}`);
      i = j + 1;
      if (stack.length === 0) {
        if (rootSeen) fail('a second root element');
        rootSeen = true;
      }
      const open: Open = { name, node: undefined, text: '' };
      if (selfClosing) close(open);
      else stack.push(open);
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (!rootSeen) fail('no root element');
  return doc;

  function close(el: Open): void {
    let value: unknown;
    if (el.node) {
      if (!isWhitespace(el.text)) el.node['#text'] = el.text;
      value = el.node;
    } else {
      value = detached(el.text);
    }
    const parent = stack.length > 0 ? parentNode(stack[stack.length - 1]!) : doc;
    addChild(parent, el.name, value);
  }
}

function parentNode(open: Open): XmlTreeNode {
  if (!open.node) open.node = Object.create(null) as XmlTreeNode;
  return open.node;
}

function addChild(parent: XmlTreeNode, name: string, value: unknown): void {
  const had = parent[name];
  if (had === undefined) parent[name] = value;
  else if (Array.isArray(had)) had.push(value);
  else parent[name] = [had, value];
}

/**
 * The same text in a string of its own. V8 makes a slice of 13 or more characters a view into the
 * whole document, so an ETag kept from a listing would keep its 250 KB page alive (a sync plan of
 * 100,000 objects held 18 MB more that way). A copy through a Buffer is a plain flat string.
 */
function detached(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

function isWhitespace(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

function skipWhitespace(s: string, k: number): number {
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    k++;
  }
  return k;
}

/** The end of an XML name starting at `k` (k itself when there is none). */
function scanName(s: string, k: number): number {
  const start = k;
  while (k < s.length) {
    const c = s.charCodeAt(k);
    const nameChar =
      (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0x80 ||
      (k > start && ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e));
    if (!nameChar) break;
    k++;
  }
  return k;
}

/** Skips `name="value"` pairs (values in either quote, no '<' inside); returns where the tag goes on. */
function skipAttributes(s: string, k: number, fail: (what: string) => never): number {
  for (;;) {
    const afterSpace = skipWhitespace(s, k);
    const nameEnd = scanName(s, afterSpace);
    if (nameEnd === afterSpace) return afterSpace;
    if (afterSpace === k) fail('attributes must be separated by whitespace');
    let j = skipWhitespace(s, nameEnd);
    if (s.charCodeAt(j) !== 0x3d /* = */) fail('an attribute without a value');
    j = skipWhitespace(s, j + 1);
    const q = s.charCodeAt(j);
    if (q !== 0x22 && q !== 0x27) fail('an attribute value without quotes');
    const close = s.indexOf(q === 0x22 ? '"' : "'", j + 1);
    if (close < 0 || s.slice(j + 1, close).includes('<')) fail('an unterminated attribute value');
    k = close + 1;
  }
}
