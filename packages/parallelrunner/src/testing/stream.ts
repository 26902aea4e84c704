import type { FakeChunk } from './script.js';

/**
 * Write `chunks` in order, each `atMs` after `startedAt` (or at once when that has passed), then
 * call `then`. One timer at a time: under load Node may fire timers of different delays out of
 * order, and a later chunk must never overtake an earlier one. Timers are pushed to `timers`
 * (clear them to stop).
 */
export function playStream(
  chunks: readonly FakeChunk[],
  startedAt: number,
  timers: ReturnType<typeof setTimeout>[],
  write: (chunk: FakeChunk) => void,
  then?: () => void,
): void {
  const sorted = [...chunks].sort((a, b) => a.atMs - b.atMs);
  const play = (i: number): void => {
    const chunk = sorted[i];
    if (chunk === undefined) {
      then?.();
      return;
    }
    const wait = Math.max(0, chunk.atMs - (Date.now() - startedAt));
    timers.push(
      setTimeout(() => {
        write(chunk);
        play(i + 1);
      }, wait),
    );
  };
  play(0);
}
