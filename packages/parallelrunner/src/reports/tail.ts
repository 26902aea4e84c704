import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Default number of bytes `readTail` keeps: 64 KiB. */
export const DEFAULT_TAIL_BYTES = 64 * 1024;

/**
 * The last `maxBytes` of the file at `path` as UTF-8 (a character cut at the start is
 * dropped), or `undefined` when it cannot be read. Reads only the tail, whatever the size.
 */
export function readTail(
  path: string,
  maxBytes: number = DEFAULT_TAIL_BYTES,
): { text: string; truncated: boolean } | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, buffer, read, length - read, size - length + read);
      if (n === 0) break;
      read += n;
    }
    let start = 0;
    if (size > length) {
      // skip UTF-8 continuation bytes of a character cut in half
      while (start < read && ((buffer[start] ?? 0) & 0xc0) === 0x80) start++;
    }
    return { text: buffer.subarray(start, read).toString('utf8'), truncated: size > length };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
