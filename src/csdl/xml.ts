/** Minimal XML writing helpers for $metadata: escaping and an indenting element writer. */

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for use in an attribute value (double-quoted) or element content. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export type Attributes = readonly (readonly [name: string, value: string | undefined])[];

const attrs = (attributes: Attributes): string =>
  attributes
    .filter((a): a is readonly [string, string] => a[1] !== undefined)
    .map(([n, v]) => ` ${n}="${escapeXml(v)}"`)
    .join('');

/** Accumulates indented lines (two spaces per level); `open`/`close` pair up, `empty` writes `<x ... />`. */
export class XmlWriter {
  private readonly lines: string[] = [];
  private depth = 0;

  raw(line: string): this {
    this.lines.push(line);
    return this;
  }

  open(tag: string, attributes: Attributes = []): this {
    this.lines.push(`${'  '.repeat(this.depth)}<${tag}${attrs(attributes)}>`);
    this.depth++;
    return this;
  }

  close(tag: string): this {
    this.depth--;
    this.lines.push(`${'  '.repeat(this.depth)}</${tag}>`);
    return this;
  }

  empty(tag: string, attributes: Attributes = []): this {
    this.lines.push(`${'  '.repeat(this.depth)}<${tag}${attrs(attributes)} />`);
    return this;
  }

  text(tag: string, content: string, attributes: Attributes = []): this {
    this.lines.push(`${'  '.repeat(this.depth)}<${tag}${attrs(attributes)}>${escapeXml(content)}</${tag}>`);
    return this;
  }

  toString(): string {
    if (this.depth !== 0) throw new Error(`XmlWriter: ${this.depth} element(s) left open`);
    return `${this.lines.join('\n')}\n`;
  }
}
