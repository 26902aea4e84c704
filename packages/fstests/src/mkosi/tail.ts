/** The last `lines` lines of `text` (trailing newlines ignored). */
export function tailLines(text: string, lines = 20): string {
  const all = text.replace(/\n+$/, '').split('\n');
  return all.slice(-lines).join('\n');
}
