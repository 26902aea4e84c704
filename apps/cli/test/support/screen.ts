/**
 * A tiny terminal for tests: plays back the bytes a program wrote to its terminal and returns
 * what the screen (with everything scrolled above it) shows at the end. It knows what the live
 * view uses: text, CR, LF (to the next line's column 0, as a terminal with `onlcr`, the default,
 * shows it), `ESC [ n F` (cursor n lines up, to column 0), `ESC [ n A`,
 * `ESC [ J` (erase to the end of the screen), `ESC [ K`, `ESC [ n G`; other CSI sequences
 * (colours, cursor visibility) are ignored. Lines are never wrapped: a test terminal is wide.
 */
export function screen(bytes: string): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  const line = (): string[] => {
    while (lines.length <= row) lines.push([]);
    return lines[row] as string[];
  };
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i] ?? '';
    if (ch === '\u001b') {
      const m = /^\[([?\d;]*)([A-Za-z])/.exec(bytes.slice(i + 1, i + 24));
      if (!m) continue;
      i += m[0].length;
      const n = Number(m[1] === '' || m[1]?.startsWith('?') ? '1' : m[1]);
      switch (m[2]) {
        case 'F':
          row = Math.max(0, row - n);
          col = 0;
          break;
        case 'A':
          row = Math.max(0, row - n);
          break;
        case 'J':
          line().length = col;
          lines.length = row + 1;
          break;
        case 'K':
          line().length = col;
          break;
        case 'G':
          col = n - 1;
          break;
      }
      continue;
    }
    if (ch === '\r') col = 0;
    else if (ch === '\n') {
      row++;
      col = 0;
      line();
    } else {
      const l = line();
      while (l.length < col) l.push(' ');
      l[col++] = ch;
    }
  }
  const text = lines.map((l) => l.join('').trimEnd());
  while (text.length > 0 && text[text.length - 1] === '') text.pop();
  return text;
}
