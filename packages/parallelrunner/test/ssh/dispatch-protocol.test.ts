import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { encodeRequest, endMarker, parseEndStatus } from '../../src/ssh/dispatch-protocol.js';
import { MarkerScanner } from '../../src/ssh/marker-scanner.js';

/** Feed `chunks` to a scanner for `marker`; what it passed on, whether it found it, the rest. */
function scan(marker: string, chunks: readonly string[]) {
  const passed: string[] = [];
  const scanner = new MarkerScanner(marker, (c) => passed.push(c.toString('latin1')));
  for (const c of chunks) scanner.push(Buffer.from(c, 'latin1'));
  return { passed, found: scanner.found, rest: scanner.rest.toString('latin1'), scanner };
}

/** Decode one request line the way the loop does, in `shell`; resolves with nonce and text. */
function decodeIn(shell: readonly string[], line: Buffer): Promise<string> {
  const script =
    'IFS= read -r r; c=$(printf \'%b.\' "${r#* }"); printf \'%s|%s\' "${r%% *}" "${c%.}"';
  return new Promise((resolve, reject) => {
    const child = execFile(shell[0] ?? 'sh', [...shell.slice(1), '-c', script], (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
    child.stdin?.end(line);
  });
}

describe('MarkerScanner', () => {
  it('passes bytes before the marker, drops it, and keeps what follows as rest', () => {
    const r = scan('__end__', ['abc__e', 'nd__0:', 'X\n']);
    expect(r.passed.join('')).toBe('abc');
    expect(r.found).toBe(true);
    expect(r.rest).toBe('0:X\n');
  });

  it('holds back only a tail that could start the marker', () => {
    const r = scan('__end__', ['plain text', ' and __en']);
    expect(r.passed).toEqual(['plain text', ' and ']);
    expect(r.found).toBe(false);
    r.scanner.push(Buffer.from('d? no'));
    r.scanner.flush();
    expect(r.passed.join('')).toBe('plain text and __end? no');
  });

  it('finds the marker split across many one-byte chunks', () => {
    const r = scan('__end__', [...'x__end_x__end__7\n']);
    expect(r.passed.join('')).toBe('x__end_x');
    expect(r.rest).toBe('7\n');
  });
});

describe('dispatch protocol', () => {
  it('parses the status after the end marker', () => {
    expect(parseEndStatus('0:\n')).toEqual({ exitCode: 0, exitSignal: null });
    expect(parseEndStatus('3:\n')).toEqual({ exitCode: 3, exitSignal: null });
    expect(parseEndStatus('143:TERM\n')).toEqual({ exitCode: null, exitSignal: 'SIGTERM' });
    expect(parseEndStatus('138:SIGUSR1\n')).toEqual({ exitCode: null, exitSignal: 'SIGUSR1' });
    // A status of 128+N for a signal that does not end a process is a plain status.
    expect(parseEndStatus('145:CHLD\n')).toEqual({ exitCode: 145, exitSignal: null });
    expect(parseEndStatus('200:\n')).toEqual({ exitCode: 200, exitSignal: null });
    expect(parseEndStatus('12')).toBeUndefined();
  });

  it('makes end markers that differ per nonce', () => {
    expect(endMarker('ab')).not.toBe(endMarker('cd'));
  });

  const text = 'a\\nb \'q\' "d" \\\\ \\c %s %b \\0101 tab\there\nline two\n\n trailing  ';
  for (const shell of [['dash'], ['busybox', 'sh'], ['bash']]) {
    it(`round-trips any command text through ${shell.join(' ')}'s read and printf %b`, async () => {
      expect(await decodeIn(shell, encodeRequest('n0nce', text))).toBe(`n0nce|${text}`);
    });
  }
});
