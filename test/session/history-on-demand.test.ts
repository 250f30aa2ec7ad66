/**
 * `history_updated` carries a frozen copy of the whole history; the facade builds it only when
 * someone listens (a typed or wildcard listener, an `events$` subscriber), issue 15: with nobody
 * listening, a tool turn builds no copy, and `session.history` is still right when read.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createRealtimeSession, defineTool, type RealtimeSession } from '../../index.js';
import { SessionHistory } from '../../session/history.js';
import { createScriptedModel } from '../../testing.js';
import { record } from './event-log.js';

const lookup = defineTool({ name: 'lookup', description: 'Looks up', parameters: z.object({}), execute: () => ({ found: true }) });
const script = () => createScriptedModel({ responses: [{ toolCalls: [{ callId: 'c1', name: 'lookup', arguments: {} }] }, { transcript: 'Found it.' }] });

let session: RealtimeSession | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await session?.close();
  session = undefined;
});

async function toolTurn(s: RealtimeSession): Promise<void> {
  const log = record(s);
  await s.connect();
  void s.sendText('look it up');
  await log.waitFor('response_done', (e) => e.responseId !== undefined && log.of('response_done').length === 2);
}

describe('history_updated on demand', () => {
  it('builds no copy of the history when nobody listens for it', async () => {
    const built = vi.spyOn(SessionHistory.prototype, 'items', 'get');
    session = createRealtimeSession({ model: script(), tools: [lookup] });
    const log = { events: [] as string[] };
    session.on('response_done', (e) => log.events.push(e.type));
    await session.connect();
    void session.sendText('look it up');
    await vi.waitFor(() => expect(log.events).toHaveLength(2), { timeout: 5_000, interval: 5 });
    expect(built).not.toHaveBeenCalled();
    expect(session.history.map((i) => i.type)).toEqual(['message', 'tool_call', 'message']);
  });

  it('delivers every step to typed, wildcard and events$ listeners alike', async () => {
    for (const how of ['typed', 'wildcard', 'events$'] as const) {
      const s = createRealtimeSession({ model: script(), tools: [lookup] });
      const steps: number[] = [];
      if (how === 'typed') s.on('history_updated', (e) => steps.push(e.history.length));
      if (how === 'wildcard') s.on('*', (e) => e.type === 'history_updated' && steps.push(e.history.length));
      if (how === 'events$') s.events$.subscribe((e) => e.type === 'history_updated' && steps.push(e.history.length));
      await toolTurn(s);
      expect(steps.length, how).toBeGreaterThan(2);
      expect(steps.at(-1), how).toBe(s.history.length);
      await s.close();
    }
  });
});
