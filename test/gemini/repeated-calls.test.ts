/**
 * A repeated `toolCall` frame (same ids) must not re-arm calls this connection already settled
 * (issue 11, item 10, adapter side): no second `model.functionCall`, no phantom response, and a
 * second output for the id never reaches the wire.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ModelEvent } from '../../adapters/events.js';
import { createRealtimeSession, defineTool, silentLogger } from '../../index.js';
import { record } from '../session/event-log.js';
import { adapterFor, clientFrames, serverFrames, until, useGeminiFixture } from './fixture.js';

type Json = Record<string, unknown>;

const fx = useGeminiFixture();
const weatherTool = { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } };
const count = (events: ModelEvent[], type: ModelEvent['type']): number => events.filter((e) => e.type === type).length;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('gemini adapter: repeated function-call frames', () => {
  it('an answered call id in a repeated toolCall is not a new call', async () => {
    const emu = await fx.emulator();
    const h = fx.start(emu, { config: { tools: [weatherTool] } });
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: 'what is the weather in Paris' });
    const call = await h.waitForEvent('model.functionCall');
    h.send({ type: 'client.toolOutput', callId: call.callId, name: call.name, output: { temperature: 21 } });
    await h.waitForEvent('model.responseDone');

    emu.gemini.inject({ type: 'repeatToolCall' });
    await pause(50);
    // The adapter would answer a re-armed call; it must drop this output instead.
    h.send({ type: 'client.toolOutput', callId: call.callId, name: call.name, output: { temperature: 22 } });
    await pause(50);

    expect(count(h.events, 'model.functionCall')).toBe(1);
    expect(count(h.events, 'model.responseCreated')).toBe(1);
    expect(clientFrames(emu, 'toolResponse')).toHaveLength(1);
  });

  it('a repeat while the call is still outstanding is not announced twice', async () => {
    const emu = await fx.emulator();
    const h = fx.start(emu, { config: { tools: [weatherTool] } });
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: 'what is the weather in Rome' });
    const call = await h.waitForEvent('model.functionCall');
    emu.gemini.inject({ type: 'repeatToolCall' });
    await pause(50);
    expect(count(h.events, 'model.functionCall')).toBe(1);
    h.send({ type: 'client.toolOutput', callId: call.callId, name: call.name, output: { temperature: 25 } });
    await h.waitForEvent('model.responseDone');
    expect(clientFrames(emu, 'toolResponse')).toHaveLength(1);
    expect(count(h.events, 'model.responseDone')).toBe(1);
  });
});

describe('gemini session: a call repeated on a new connection', () => {
  it('is answered with its recorded output (the tool does not run again), and the session goes on', async () => {
    const emu = await fx.emulator();
    let runs = 0;
    const weather = defineTool({
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: z.object({ city: z.string() }),
      execute: ({ city }) => ({ city, runs: ++runs }),
    });
    const session = createRealtimeSession({ model: adapterFor(emu), tools: [weather], logger: silentLogger });
    const log = record(session);
    try {
      await session.connect();
      await session.sendText('what is the weather in Paris');
      await log.waitFor('tool_result');
      await log.waitFor('response_done');
      const toolCall = serverFrames(emu, 'toolCall')[0]!;

      // The connection drops; the session resumes; the provider asks for the same call again.
      emu.gemini.inject({ type: 'close', code: 1011, reason: 'Internal error encountered.' });
      await log.waitFor('session_resumed');
      const second = emu.gemini.connections()[0]!;
      emu.gemini.inject({ type: 'frame', frame: toolCall }, second);
      await until(() => clientFrames(emu, 'toolResponse').length === 2, 'the answer on the new connection');

      expect(runs).toBe(1);
      expect(log.of('tool_call')).toHaveLength(1);
      const responses = clientFrames(emu, 'toolResponse').map((f) => (f['toolResponse'] as Json)['functionResponses']);
      expect(responses[1]).toEqual(responses[0]);
      expect(emu.context.log.entries.filter((e) => e.direction === 'in' && 'toolResponse' in (e.frame as Json)).map((e) => e.connection)).toEqual([
        emu.context.log.entries.find((e) => e.direction === 'in')!.connection,
        second,
      ]);

      // Not stuck: the next turn is answered.
      // The service, having its answer, finishes that turn (the emulator did not issue the injected
      // call itself, so the test plays the service's turnComplete).
      const before = log.of('response_done').length;
      emu.gemini.inject({ type: 'frame', frame: { serverContent: { turnComplete: true } } }, second);
      await until(() => log.of('response_done').length > before, 'the repeated call\'s turn done');
      const answer = await session.sendText('and tomorrow?').reply;
      expect(answer?.status).toBe('completed');
      await until(() => session.actor.getSnapshot().matches({ link: { connected: { turn: 'idle' } } }), 'an idle turn');
    } finally {
      await session.close();
    }
  });
});
