/** The UTF-16 unit at `i` is not allowed in XML 1.0. */
function invalidAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x20) return c !== 0x09 && c !== 0x0a && c !== 0x0d;
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    return !(next >= 0xdc00 && next <= 0xdfff);
  }
  if (c >= 0xdc00 && c <= 0xdfff) {
    const prev = text.charCodeAt(i - 1);
    return !(prev >= 0xd800 && prev <= 0xdbff);
  }
  return c === 0xfffe || c === 0xffff;
}

/**
 * Remove characters that XML 1.0 cannot carry at all: C0 controls other than tab, newline and
 * carriage return, lone surrogates, U+FFFE and U+FFFF.
 */
export function stripInvalidXml(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (!invalidAt(text, i)) continue;
    out += text.slice(from, i);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
  '\t': '&#9;',
  '\n': '&#10;',
};

/** Escape text for element content (invalid characters stripped; `\r` kept as a reference). */
export function xmlText(text: string): string {
  return stripInvalidXml(text).replace(/[&<>\r]/g, (c) => ESCAPES[c] ?? c);
}

/** Escape text for a double-quoted attribute value (whitespace kept as character references). */
export function xmlAttr(text: string): string {
  return stripInvalidXml(text).replace(/[&<>"'\r\n\t]/g, (c) => ESCAPES[c] ?? c);
}

/** `name="value"` pairs for a start tag, skipping undefined values. */
export function attrs(values: Readonly<Record<string, string | number | undefined>>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}
