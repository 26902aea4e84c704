import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/io.js';
import { makePaint } from '../../src/view/format.js';
import { startRunView } from '../../src/view/run-view.js';
import { screen } from '../support/screen.js';

/** A stream collecting what is written to it, standing in for a terminal or stderr. */
function sink(): { readonly text: string; readonly stream: NodeJS.WriteStream } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    get text() {
      return text;
    },
    // What the views use of a tty.WriteStream: write() and columns.
    stream: Object.assign(stream, { columns: 100 }) as unknown as NodeJS.WriteStream,
  };
}

describe('startRunView', () => {
  it('live: notices and process warnings print above the rows, not on stderr; Node gets its handler back', async () => {
    const stdout = sink();
    const stderr = sink();
    const io: CliIo = { cwd: '/', env: {}, stdout: stdout.stream, stderr: stderr.stream };
    const before = process.listeners('warning');
    const view = await startRunView({
      io,
      paint: makePaint(false),
      plain: false,
      order: ['a'],
      supervisors: ['vm-1'],
      history: new Map(),
    });
    view.notice('KVM not used: ...; using TCG');
    process.emitWarning('the result sink could not store a/1', { code: 'FF_SINK_ERROR' });
    await new Promise((r) => setTimeout(r, 400));
    await view.stop();
    view.notice('after the view');
    const lines = screen(stdout.text);
    expect(lines.slice(0, 2)).toEqual([
      'KVM not used: ...; using TCG',
      'warning: [FF_SINK_ERROR] the result sink could not store a/1',
    ]);
    expect(lines.at(-1)).toMatch(/0\/1 .* ETA \?$/);
    expect(stderr.text).toBe('after the view\n');
    expect(process.listeners('warning')).toEqual(before);
  });

  it('plain: notices go to stderr, events to stdout', async () => {
    const stdout = sink();
    const stderr = sink();
    const io: CliIo = { cwd: '/', env: {}, stdout: stdout.stream, stderr: stderr.stream };
    const view = await startRunView({
      io,
      paint: makePaint(false),
      plain: true,
      order: ['a'],
      supervisors: ['vm-1'],
      history: new Map(),
    });
    view.notice('KVM not used');
    view.handle({ type: 'supervisor:starting', supervisor: 'vm-1', restart: false });
    await view.stop();
    expect(stderr.text).toBe('KVM not used\n');
    expect(stdout.text).toMatch(/vm-1: starting\n$/);
  });
});
