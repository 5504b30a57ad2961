import "server-only";

/**
 * Decides whether an uploaded SVG may be the shop's logo. It is a refusal list, not a cleaner:
 * a file with anything that could run code or reach outside the file is refused whole, with the
 * reason, and nothing is rewritten. The file is also well-formed XML by a small tokenizer of its
 * own (elements balanced, attributes quoted, only XML's five named entities), since a file that
 * parsers read differently is how filters are slipped past.
 *
 * This is the first of three walls: the logo is served with a Content-Security-Policy that
 * allows no script and no loads (default-src 'none'), and the display shows it as an <img>,
 * where a browser runs no script and fetches nothing the SVG names, whatever this check missed.
 */

/** Elements that run script, embed other documents or take events; their local name, lower case. */
const FORBIDDEN_ELEMENTS = new Set([
  "script",
  "foreignobject",
  "iframe",
  "embed",
  "object",
  "handler",
  "listener",
  "audio",
  "video",
]);
/** SMIL animations may rewrite an attribute at run time: never a link or an event handler. */
const ANIMATIONS = new Set(["set", "animate", "animatetransform", "animatemotion", "animatecolor"]);
const PREDEFINED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;

class SvgRefused extends Error {}

function refuse(reason: string): never {
  throw new SvgRefused(reason);
}

/** Replaces character and predefined entity references; any other `&` is not well-formed here. */
function decodeEntities(text: string): string {
  return text.replace(/&([^;\s<>&]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(";")) refuse("a bare & (write &amp;)");
    if (body in PREDEFINED_ENTITIES) return PREDEFINED_ENTITIES[body] as string;
    const numeric = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(body);
    if (numeric) {
      const code = numeric[1] !== undefined ? Number.parseInt(numeric[1], 16) : Number(numeric[2]);
      if (code > 0x10ffff) refuse(`a character reference out of range (&${body};)`);
      return String.fromCodePoint(code);
    }
    refuse(`an entity reference (&${body.slice(0, 40)};): only &amp; &lt; &gt; &quot; &apos; and character references`);
  });
}

/** Lower case, without whitespace and control characters, which browsers skip inside a scheme. */
function squeezed(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
  return value.replace(/[\u0000-\u0020\u007f-\u009f]+/g, "").toLowerCase();
}

/** Checks text that a browser reads as CSS or as a URL: a style attribute, a <style> element, any value. */
function checkValue(value: string, where: string, css = false): void {
  // A CSS escape can spell any word (u\72l is url): none in CSS, so that the words below are the words read.
  if (css && value.includes("\\")) refuse(`a CSS escape (\\) in ${where}`);
  const plain = squeezed(value);
  for (const scheme of ["javascript:", "vbscript:", "livescript:"]) {
    if (plain.includes(scheme)) refuse(`a ${scheme} URL in ${where}`);
  }
  if (plain.includes("@import")) refuse(`a CSS @import in ${where}`);
  if (plain.includes("expression(")) refuse(`a CSS expression() in ${where}`);
  if (plain.includes("-moz-binding") || plain.includes("behavior:")) refuse(`a CSS binding in ${where}`);
  for (const match of plain.matchAll(/url\(([^)]*)\)?/g)) {
    const target = (match[1] ?? "").replace(/^["']/, "");
    if (!target.startsWith("#"))
      refuse(
        `an external reference url(${(match[1] ?? "").slice(0, 60)}) in ${where}: only #fragment references within the file`,
      );
  }
}

function localName(name: string): string {
  return (name.includes(":") ? name.slice(name.lastIndexOf(":") + 1) : name).toLowerCase();
}

function checkAttribute(element: string, name: string, rawValue: string): void {
  const value = decodeEntities(rawValue);
  const local = localName(name);
  const where = `<${element} ${name}>`;
  if (local.startsWith("on")) refuse(`an event-handler attribute (${name} on <${element}>)`);
  if (local === "href" || local === "src" || local === "action" || local === "formaction") {
    if (!value.trim().startsWith("#"))
      refuse(
        `an external reference (${name}="${value.trim().slice(0, 60)}" on <${element}>): only #fragment references within the file`,
      );
  }
  if (name.toLowerCase() === "xml:base") refuse(`xml:base on <${element}>`);
  if (ANIMATIONS.has(localName(element)) && local === "attributename") {
    const target = localName(value.trim());
    if (target === "href" || target.startsWith("on")) refuse(`an animation of ${value.trim()} (<${element}>)`);
  }
  checkValue(value, where, local === "style");
}

interface OpenTag {
  name: string;
  attributes: { name: string; value: string }[];
  selfClosing: boolean;
  end: number;
}

// Sticky patterns read at a position without copying the rest of the file: slicing the remainder
// for each attribute made a 255 KB logo with 24,744 attributes cost 1.6 s of the event loop.
const SPACES = /\s*/y;
const ATTRIBUTE_START = /([^\s=/>]+)\s*=\s*(["'])/y;

function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/** Reads a start tag from `<` at `start`; its attributes must be quoted and not repeated. */
function readStartTag(text: string, start: number): OpenTag {
  let i = start + 1;
  const nameMatch = /^[^\s/>]+/.exec(text.slice(i, i + 200));
  const name = nameMatch?.[0] ?? "";
  if (!NAME.test(name)) refuse(`a malformed tag at character ${start}`);
  i += name.length;
  const attributes: { name: string; value: string }[] = [];
  const seen = new Set<string>();
  for (;;) {
    const spaced = matchAt(SPACES, text, i)?.[0].length ?? 0;
    i += spaced;
    if (text.startsWith("/>", i)) return { name, attributes, selfClosing: true, end: i + 2 };
    if (text[i] === ">") return { name, attributes, selfClosing: false, end: i + 1 };
    if (i >= text.length) refuse(`an unterminated <${name}> tag`);
    if (spaced === 0) refuse(`attributes without space between them on <${name}>`);
    const attribute = matchAt(ATTRIBUTE_START, text, i);
    if (!attribute || attribute[0].length > 300) refuse(`an attribute without a quoted value on <${name}>`);
    const attributeName = attribute[1] as string;
    if (!NAME.test(attributeName)) refuse(`a malformed attribute name on <${name}>`);
    if (seen.has(attributeName)) refuse(`${attributeName} twice on <${name}>`);
    seen.add(attributeName);
    i += attribute[0].length;
    const close = text.indexOf(attribute[2] as string, i);
    if (close < 0) refuse(`an unterminated ${attributeName} value on <${name}>`);
    const value = text.slice(i, close);
    if (value.includes("<")) refuse(`a < inside the ${attributeName} value on <${name}> (write &lt;)`);
    attributes.push({ name: attributeName, value });
    i = close + 1;
  }
}

/** Throws SvgRefused with the first reason the file may not be the logo. */
function checkDocument(source: string): void {
  const text = source.startsWith("\uFEFF") ? source.slice(1) : source;
  if (/<!DOCTYPE/i.test(text)) refuse("a DOCTYPE (it can declare entities that reach other files)");
  if (/<!ENTITY/i.test(text)) refuse("an ENTITY declaration");
  const stack: string[] = [];
  let sawRoot = false;
  let rootClosed = false;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf("<", i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (chunk.trim() !== "") {
      if (stack.length === 0) refuse("text outside the <svg> element");
      if (chunk.includes("]]>")) refuse("a stray ]]>");
      const decoded = decodeEntities(chunk);
      if (localName(stack.at(-1) as string) === "style") checkValue(decoded, "a <style> element", true);
    }
    if (lt < 0) break;
    if (text.startsWith("<!--", lt)) {
      const end = text.indexOf("-->", lt + 4);
      if (end < 0) refuse("an unterminated comment");
      i = end + 3;
    } else if (text.startsWith("<![CDATA[", lt)) {
      const end = text.indexOf("]]>", lt + 9);
      if (end < 0) refuse("an unterminated CDATA section");
      if (stack.length === 0) refuse("a CDATA section outside the <svg> element");
      if (localName(stack.at(-1) as string) === "style") checkValue(text.slice(lt + 9, end), "a <style> element", true);
      i = end + 3;
    } else if (text.startsWith("<?", lt)) {
      const end = text.indexOf("?>", lt + 2);
      if (end < 0) refuse("an unterminated processing instruction");
      const target = /^<\?([^\s?]*)/.exec(text.slice(lt, lt + 60))?.[1] ?? "";
      // Only the XML declaration, and only first: <?xml-stylesheet?> would load a style sheet.
      if (target !== "xml" || text.slice(0, lt).trim() !== "")
        refuse(`a processing instruction (<?${target.slice(0, 30)}?>)`);
      i = end + 2;
    } else if (text.startsWith("<!", lt)) {
      refuse("a markup declaration (<!…>)");
    } else if (text.startsWith("</", lt)) {
      const end = text.indexOf(">", lt);
      if (end < 0) refuse("an unterminated end tag");
      const name = text.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (open !== name) refuse(`</${name.slice(0, 40)}> does not close <${open ?? "nothing"}>`);
      if (stack.length === 0) rootClosed = true;
      i = end + 1;
    } else {
      if (rootClosed) refuse("a second element after </svg>");
      const tag = readStartTag(text, lt);
      const local = localName(tag.name);
      if (!sawRoot && local !== "svg") refuse(`<${tag.name}> as the outermost element, not <svg>`);
      sawRoot = true;
      if (FORBIDDEN_ELEMENTS.has(local)) refuse(`a <${tag.name}> element`);
      for (const attribute of tag.attributes) checkAttribute(tag.name, attribute.name, attribute.value);
      if (tag.selfClosing) {
        if (stack.length === 0) rootClosed = true;
      } else {
        stack.push(tag.name);
      }
      i = tag.end;
    }
  }
  if (!sawRoot) refuse("no <svg> element");
  if (stack.length > 0) refuse(`<${stack.at(-1)}> is never closed`);
}

/** Why this SVG text may not be the logo, in a few words; undefined when it may. */
export function svgProblem(text: string): string | undefined {
  try {
    checkDocument(text);
    return undefined;
  } catch (error) {
    if (error instanceof SvgRefused) return error.message;
    throw error;
  }
}

/**
 * Whether text looks like an SVG document at all: after an optional BOM, XML declaration and
 * comments, the first element is <svg> (with or without a prefix).
 */
export function looksLikeSvg(text: string): boolean {
  const head = text
    .slice(0, 4096)
    .replace(/^\uFEFF/, "")
    .replace(/^\s*<\?xml[^>]*\?>/, "")
    .replace(/^(\s*<!--[\s\S]*?-->)*/, "")
    .replace(/^\s*<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/i, "")
    .replace(/^(\s*<!--[\s\S]*?-->)*/, "")
    .trimStart();
  return /^<([A-Za-z_][\w.-]*:)?svg[\s/>]/.test(head);
}
