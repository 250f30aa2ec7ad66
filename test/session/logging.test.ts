/**
 * Errors nobody sees: the default logger writes warnings to stderr, a throwing listener is reported
 * once with its event name and stack, `logger: console` prints readable lines, `silentLogger` opts
 * out, and `VOXSTATE_LOG` changes the level without code changes. Secrets never reach a line.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRealtimeSession, silentLogger, type Logger } from '../../index.js';
import { createScriptedModel } from '../../testing.js';
import { record, waitUntil } from './event-log.js';
import { captureStderr } from './stderr-capture.js';

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env['VOXSTATE_LOG'];
});


/** A session whose `response_done` listener throws on each of two answered turns. */
async function twoTurnsWithAThrowingListener(logger?: Logger) {
  const model = createScriptedModel({ responses: [{ transcript: 'One.' }, { transcript: 'Two.' }] });
  const session = createRealtimeSession({ model, ...(logger ? { logger } : {}) });
  const log = record(session);
  session.on('response_done', () => {
    throw new Error('listener bug with key sk-live-0123456789abcdef');
  });
  await session.connect();
  await session.sendText('first');
  await log.waitFor('response_done');
  await session.sendText('second');
  await waitUntil(() => log.of('response_done').length === 2, 'two responses');
  await session.close();
  return log;
}

describe('logging', () => {
  it('reports a throwing listener once, on stderr by default, with the event name and stack, secrets redacted', async () => {
    const lines = captureStderr();
    const log = await twoTurnsWithAThrowingListener();
    // The session kept going: both turns were answered and it closed normally.
    expect(log.of('closed')).toHaveLength(1);
    const reports = lines.filter((l) => l.includes('threw'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/^voxstate warn: a listener for "response_done" threw/);
    expect(reports[0]).toContain('listener bug');
    expect(reports[0]).toMatch(/\n\s+at /); // the stack
    expect(reports[0]).toContain('[redacted]');
    expect(reports[0]).not.toContain('sk-live-0123456789abcdef');
    // Debug lines are off by default.
    expect(lines.filter((l) => l.startsWith('voxstate debug'))).toEqual([]);
  });

  it('writes nothing with silentLogger', async () => {
    const lines = captureStderr();
    await twoTurnsWithAThrowingListener(silentLogger);
    expect(lines).toEqual([]);
  });

  it('prints readable lines through console: the message first, then the fields', async () => {
    captureStderr();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    await twoTurnsWithAThrowingListener(console);
    expect(warn).toHaveBeenCalledTimes(1);
    // Debug lines (one per session event) only when VOXSTATE_LOG asks for them.
    expect(debug).not.toHaveBeenCalled();
    const args = warn.mock.calls[0]!;
    expect(args).toHaveLength(1);
    expect(String(args[0])).toMatch(/^voxstate warn: a listener for "response_done" threw .*\{\s+event: 'response_done',\s+err: Error: listener bug/s);
  });

  it('VOXSTATE_LOG=debug turns on debug lines; VOXSTATE_LOG=error hides the warning', async () => {
    const lines = captureStderr();
    process.env['VOXSTATE_LOG'] = 'debug';
    await twoTurnsWithAThrowingListener();
    expect(lines.some((l) => l.startsWith('voxstate debug: session event connected'))).toBe(true);
    expect(lines.some((l) => l.startsWith('voxstate debug: a listener for "response_done" threw again'))).toBe(true);

    lines.length = 0;
    process.env['VOXSTATE_LOG'] = 'error';
    await twoTurnsWithAThrowingListener();
    expect(lines).toEqual([]);
  });
});
