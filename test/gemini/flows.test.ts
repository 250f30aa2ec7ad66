/**
 * Tool calls, cancellation, barge-in, resumption handles, goAway, close codes and contextUpdate:
 * the Gemini adapter against the emulator over real loopback sockets.
 */
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import type { Brain } from '../../emulator/brain.js';
import { createRuleBrain } from '../../emulator/brain.js';
import type { ModelEvent } from '../../adapters/events.js';
import { parseSessionConfig } from '../../config.js';
import { startAdapter } from '../adapters/harness.js';
import { adapterFor, API_KEY, clientFrames, frames, tone, until, useGeminiFixture } from './fixture.js';

type Harness = ReturnType<typeof startAdapter>;
const fx = useGeminiFixture();
const start = fx.start;
let emu: Emulator | undefined;

const weatherTool = { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } };
const count = (events: ModelEvent[], type: ModelEvent['type']): number => events.filter((e) => e.type === type).length;
const speak = (h: Harness, ms: number): void => {
  for (const frame of frames(tone(ms, 16000), 16000)) h.audio.sendUserAudio(frame, 16000);
};
const toolResponses = (e: Emulator) => clientFrames(e, 'toolResponse') as Array<{ toolResponse: { functionResponses: Array<Record<string, unknown>> } }>;

describe('gemini adapter: tool calls', () => {
  for (const turnCompleteAfterToolCall of [false, true]) {
    it(`answers a toolCall and the continuation stays in one response (turnComplete after toolCall: ${turnCompleteAfterToolCall})`, async () => {
      emu = await fx.emulator({ gemini: { turnCompleteAfterToolCall } });
      const h = start(emu, { config: { tools: [weatherTool] } });
      await h.waitForEvent('model.connected');
      h.send({ type: 'client.text', text: 'what is the weather in Paris' });
      const call = await h.waitForEvent('model.functionCall');
      expect(call.name).toBe('get_weather');
      expect(JSON.parse(call.arguments)).toEqual({ city: 'Paris' });
      expect(call.callId).toMatch(/^function-call-/);
      await new Promise((r) => setTimeout(r, 30));
      expect(count(h.events, 'model.responseDone')).toBe(0);
      h.send({ type: 'client.toolOutput', callId: call.callId, name: call.name, output: { temperature: 21 } });
      await h.waitForEvent('model.responseDone');
      expect(toolResponses(emu)[0]).toEqual({ toolResponse: { functionResponses: [{ id: call.callId, name: 'get_weather', response: { temperature: 21 } }] } });
      // A second answer, or one for a call this connection never issued, never goes on the wire.
      h.send({ type: 'client.toolOutput', callId: call.callId, name: call.name, output: { again: true } });
      h.send({ type: 'client.toolOutput', callId: 'function-call-from-elsewhere', name: 'get_weather', output: {} });
      await new Promise((r) => setTimeout(r, 30));
      expect(toolResponses(emu)).toHaveLength(1);
      expect(count(h.events, 'model.responseCreated')).toBe(1);
      expect(count(h.events, 'model.responseDone')).toBe(1);
      const final = h.data.find((d) => d.type === 'transcript' && d.role === 'assistant' && d.isFinal && d.text.includes('temperature 21'));
      expect(final).toBeDefined();
    });
  }

  it('withdraws calls on barge-in and never answers them', async () => {
    emu = await fx.emulator();
    const h = start(emu, { config: { tools: [weatherTool] } });
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: 'weather in Oslo please' });
    const call = await h.waitForEvent('model.functionCall');
    speak(h, 200);
    const cancelled = await h.waitForEvent('model.toolCallCancelled');
    expect(cancelled.callIds).toEqual([call.callId]);
    expect(h.events.some((e) => e.type === 'model.interrupted' && e.source === 'user')).toBe(true);
    const done = await h.waitForEvent('model.responseDone');
    expect(done.status).toBe('cancelled');
    h.send({ type: 'client.toolOutput', callId: call.callId, name: call.name, output: { late: true } });
    h.send({ type: 'client.text', text: 'never mind' });
    await until(() => count(h.events, 'model.responseDone') >= 2, 'the next turn');
    expect(toolResponses(emu)).toHaveLength(0);
  });
});

describe('gemini adapter: interruption', () => {
  it('reports a server-side barge-in and ends the response as cancelled', async () => {
    emu = await fx.emulator({ gemini: { realtimeFactor: 2 } });
    const h = start(emu);
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: 'please tell me a rather long story about the sea and ships' });
    await h.waitForEvent('model.outputAudioStarted');
    speak(h, 100);
    await h.waitForEvent('model.interrupted', (e) => e.source === 'user');
    const done = await h.waitForEvent('model.responseDone');
    expect(done.status).toBe('cancelled');
  });

  it('a client interrupt mutes the rest of the turn', async () => {
    emu = await fx.emulator({ gemini: { realtimeFactor: 2 } });
    const h = start(emu);
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: 'please tell me a rather long story about the sea and ships' });
    await h.waitForEvent('model.outputAudioStarted');
    h.send({ type: 'client.interrupt', playedMs: 10 });
    // The session reports a client interrupt itself: the adapter echoes nothing.
    await new Promise((r) => setTimeout(r, 20));
    expect(h.events.some((e) => e.type === 'model.interrupted')).toBe(false);
    const before = h.data.filter((d) => d.type === 'audio').length;
    await new Promise((r) => setTimeout(r, 50));
    expect(h.data.filter((d) => d.type === 'audio').length).toBe(before);
  });
});

describe('gemini adapter: resumption and goAway', () => {
  it('resumes with a handle and the emulator restores the conversation', async () => {
    const rule = createRuleBrain();
    const brain: Brain = { ...rule, reply: (c) => ({ text: `model turn ${c.turnIndex} heard ${c.userText ?? ''}` }) };
    emu = await fx.emulator({ brain });
    const first = start(emu);
    await first.waitForEvent('model.connected');
    first.send({ type: 'client.text', text: 'one' });
    await until(() => count(first.events, 'model.responseDone') === 1, 'turn 1');
    first.send({ type: 'client.text', text: 'two' });
    await until(() => count(first.events, 'model.responseDone') === 2, 'turn 2');
    const handle = [...first.events].reverse().find((e) => e.type === 'model.resumptionHandle' && e.resumable);
    first.stop();
    if (!handle || handle.type !== 'model.resumptionHandle') throw new Error('no handle');

    const second = start(emu, { resumptionHandle: handle.handle, reason: 'reconnect', connectionId: 2 });
    const connected = await second.waitForEvent('model.connected');
    expect(connected.restored).toBe(true);
    expect((clientFrames(emu, 'setup').at(-1) as { setup: Record<string, unknown> }).setup['sessionResumption']).toEqual({ handle: handle.handle });
    expect(emu.gemini.history().map((t) => t.text)).toEqual(['one', 'model turn 0 heard one', 'two', 'model turn 1 heard two']);
    second.send({ type: 'client.text', text: 'three' });
    await second.waitForEvent('model.responseDone');
    const final = second.data.find((d) => d.type === 'transcript' && d.role === 'assistant' && d.isFinal);
    expect(final?.type === 'transcript' && final.text).toBe('model turn 2 heard three');
  });

  it('an unknown handle is refused with 1008 before setupComplete', async () => {
    emu = await fx.emulator();
    const h = start(emu, { resumptionHandle: 'gh_expired' });
    const failed = await h.waitForEvent('model.connectFailed');
    expect(failed.error.providerCode).toBe('1008');
    expect(failed.error.message).toContain('handle');
    expect(failed.error.message).not.toContain(API_KEY);
  });

  it('goAway reports the time left, then the close is not an error', async () => {
    emu = await fx.emulator({ gemini: { goAwayAfterMs: 10, goAwayTimeLeftMs: 1500 } });
    const h = start(emu);
    const goAway = await h.waitForEvent('model.goAway');
    expect(goAway.timeLeftMs).toBe(1500);
    emu.gemini.goAway(30);
    const closed = await h.waitForEvent('model.closed');
    expect(closed).toMatchObject({ code: 1008, expected: false });
    expect(closed.reason).toContain('aborted');
    expect(count(h.events, 'model.error')).toBe(0);
  });
});

describe('gemini adapter: errors and config', () => {
  it('an error close becomes a typed error and closed event', async () => {
    emu = await fx.emulator();
    const h = start(emu);
    await h.waitForEvent('model.connected');
    emu.gemini.inject({ type: 'close', code: 1007, reason: `Request contains an invalid argument. key=${API_KEY}` });
    const closed = await h.waitForEvent('model.closed');
    expect(closed).toMatchObject({ code: 1007, expected: false });
    const error = await h.waitForEvent('model.error');
    expect(error.error).toMatchObject({ code: 'server_error', providerCode: '1007' });
    expect(error.error.message).toContain('invalid argument');
    expect(JSON.stringify(h.events)).not.toContain(API_KEY);
  });

  it('an unknown message is a debug-level unknown event; a malformed frame is a non-fatal invalid_frame error', async () => {
    emu = await fx.emulator();
    const h = start(emu);
    await h.waitForEvent('model.connected');
    emu.gemini.inject({ type: 'unknown' });
    emu.gemini.inject({ type: 'malformed' });
    const error = await h.waitForEvent('model.error');
    expect(error.error.code).toBe('invalid_frame');
    expect(count(h.events, 'model.error')).toBe(1);
    expect(h.data).toContainEqual({ type: 'unknown', provider: 'gemini', eventType: 'somethingNew' });
    h.send({ type: 'client.text', text: 'still there?' });
    await h.waitForEvent('model.responseDone');
    expect(count(h.events, 'model.closed')).toBe(0);
  });

  it('client.close is an expected close', async () => {
    emu = await fx.emulator();
    const h = start(emu);
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.close' });
    const closed = await h.waitForEvent('model.closed');
    expect(closed).toMatchObject({ code: 1000, expected: true });
  });

  it('applies instructions in place with contextUpdate when enabled', async () => {
    emu = await fx.emulator();
    const h = start(emu, { config: { instructions: 'You are a pirate.' } }, { contextUpdate: true });
    await h.waitForEvent('model.connected');
    const config = parseSessionConfig({ instructions: 'You are a butler.' });
    h.send({ type: 'client.updateConfig', requestId: 'r1', config, changed: ['instructions'] });
    await h.waitForEvent('model.configApplied', (e) => e.requestId === 'r1');
    await until(() => clientFrames(emu!, 'contextUpdate').length > 0, 'contextUpdate on the wire');
    expect(clientFrames(emu, 'contextUpdate')[0]).toEqual({ contextUpdate: { systemInstruction: { parts: [{ text: 'You are a butler.' }] } } });
    h.send({ type: 'client.text', text: 'hello' });
    await h.waitForEvent('model.responseDone');
    const final = h.data.find((d) => d.type === 'transcript' && d.role === 'assistant' && d.isFinal);
    expect(final?.type === 'transcript' && final.text).toContain('You are a butler');
  });

  it('rejects in-place updates without contextUpdate', async () => {
    emu = await fx.emulator();
    const h = start(emu);
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.updateConfig', requestId: 'r2', config: parseSessionConfig({ instructions: 'x' }), changed: ['instructions'] });
    const rejected = await h.waitForEvent('model.configRejected');
    expect(rejected.error.code).toBe('update_rejected');
    expect(clientFrames(emu, 'contextUpdate')).toHaveLength(0);
  });

  it('connects to Vertex with a bearer token and a publisher model path', async () => {
    emu = await fx.emulator({ gemini: { apiKey: 'ya29.vertex-token-123' } });
    const url = emu.geminiUrl.replace(/\/ws\/.*$/, '/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent');
    const h = startAdapter(adapterFor(emu, { apiKey: undefined, url, model: 'gemini-2.0-flash-live-preview-04-09', vertex: { project: 'proj', location: 'us-central1', accessToken: async () => 'ya29.vertex-token-123' } }));
    fx.track(h);
    await h.waitForEvent('model.connected');
    expect((clientFrames(emu, 'setup')[0] as { setup: { model: string } }).setup.model).toBe(
      'projects/proj/locations/us-central1/publishers/google/models/gemini-2.0-flash-live-preview-04-09',
    );
  });
});
