/**
 * Every client frame the adapter builds, checked against the official `openai` package types.
 * The `satisfies` clauses are the real test: `tsc --noEmit` (part of `npm test`) fails if a
 * builder's output stops matching the SDK's `RealtimeClientEvent` shapes. The runtime part checks
 * that a full flow sends only event types the SDK knows.
 */
import type {
  ConversationItemCreateEvent,
  ConversationItemTruncateEvent,
  InputAudioBufferAppendEvent,
  InputAudioBufferClearEvent,
  InputAudioBufferCommitEvent,
  RealtimeClientEvent,
  ResponseCancelEvent,
  ResponseCreateEvent,
  SessionUpdateEvent,
} from 'openai/resources/realtime/realtime';
import type * as Beta from 'openai/resources/beta/realtime/realtime';
import { afterEach, describe, expect, it } from 'vitest';
import {
  functionOutputItem,
  outputText,
  replayItemBeta,
  replayItemGA,
  sessionUpdate,
  textItem,
  toBetaSession,
  toGASession,
  truncate,
} from '../../adapters/openai/map.js';
import type { AudioAppendFrame, BufferFrame, ResponseCancelFrame, ResponseCreateFrame } from '../../adapters/openai/wire.js';
import { parseSessionConfig } from '../../config.js';
import { fixture, weatherTool, type Fixture } from './fixture.js';

const config = parseSessionConfig({
  instructions: 'x',
  voice: 'marin',
  tools: [weatherTool],
  toolChoice: { type: 'function', name: 'get_weather' },
  turnDetection: { type: 'semantic_vad', eagerness: 'high' },
  transcription: { model: 'gpt-4o-transcribe', language: 'en' },
  maxOutputTokens: 'inf',
});

/** Every typed session option of `openaiRealtime()`, on a server-VAD session (the idle timeout needs it). */
const typedOptions = { reasoningEffort: 'xhigh', noiseReduction: 'near_field', idleTimeoutMs: 6000, speed: 1.1 } as const;
const serverVad = parseSessionConfig({ voice: 'marin' });

// Type-level checks (compile errors if our frames drift from the SDK's).
const gaFrames = {
  sessionUpdate: sessionUpdate('e1', toGASession(config, { includeVoice: true })) satisfies SessionUpdateEvent,
  withOptions: sessionUpdate('e2', toGASession(serverVad, { includeVoice: true, options: typedOptions })) satisfies SessionUpdateEvent,
  userText: textItem('hi', 'user') satisfies ConversationItemCreateEvent,
  systemText: textItem('hi', 'system') satisfies ConversationItemCreateEvent,
  toolOutput: functionOutputItem('call_1', outputText({ a: 1 })) satisfies ConversationItemCreateEvent,
  replayAssistant: replayItemGA({ kind: 'message', role: 'assistant', text: 'ok' }) satisfies ConversationItemCreateEvent,
  replayCall: replayItemGA({ kind: 'function_call', callId: 'c', name: 'n', arguments: '{}' }) satisfies ConversationItemCreateEvent,
  replayOutput: replayItemGA({ kind: 'function_call_output', callId: 'c', output: '{}' }) satisfies ConversationItemCreateEvent,
  truncate: truncate('item_1', 120) satisfies ConversationItemTruncateEvent,
  responseCreate: { type: 'response.create' } as ResponseCreateFrame satisfies ResponseCreateEvent,
  responseCreateNamed: { type: 'response.create', event_id: 'vx_req_1', response: { metadata: { voxstate_request: 'vx_req_1' } } } as ResponseCreateFrame satisfies ResponseCreateEvent,
  responseCancel: { type: 'response.cancel' } as ResponseCancelFrame satisfies ResponseCancelEvent,
  append: { type: 'input_audio_buffer.append', audio: '' } as AudioAppendFrame satisfies InputAudioBufferAppendEvent,
  commit: { type: 'input_audio_buffer.commit' } as BufferFrame & { type: 'input_audio_buffer.commit' } satisfies InputAudioBufferCommitEvent,
  clear: { type: 'input_audio_buffer.clear' } as BufferFrame & { type: 'input_audio_buffer.clear' } satisfies InputAudioBufferClearEvent,
};
/**
 * The beta SDK type has no `null` for turn_detection, but the beta API documents `null` as the way
 * to turn it off (2025-04-29 spec), so that one field is widened here.
 */
type BetaSessionUpdate = Omit<Beta.SessionUpdateEvent, 'session'> & {
  session: Omit<Beta.SessionUpdateEvent.Session, 'turn_detection'> & { turn_detection?: Beta.SessionUpdateEvent.Session.TurnDetection | null };
};
const betaFrames = {
  sessionUpdate: sessionUpdate('e1', toBetaSession(config, { includeVoice: true })) satisfies BetaSessionUpdate,
  withOptions: sessionUpdate('e2', toBetaSession(serverVad, { includeVoice: true, options: { noiseReduction: 'far_field', speed: 0.9 } })) satisfies BetaSessionUpdate,
  replayAssistant: replayItemBeta({ kind: 'message', role: 'assistant', text: 'ok' }) satisfies Beta.ConversationItemCreateEvent,
  replayUser: replayItemBeta({ kind: 'message', role: 'user', text: 'ok' }) satisfies Beta.ConversationItemCreateEvent,
};

/** Exhaustive over the SDK union: adding a client event type upstream breaks compilation here. */
const CLIENT_EVENT_TYPES: Record<RealtimeClientEvent['type'], true> = {
  'conversation.item.create': true,
  'conversation.item.delete': true,
  'conversation.item.retrieve': true,
  'conversation.item.truncate': true,
  'input_audio_buffer.append': true,
  'input_audio_buffer.clear': true,
  'output_audio_buffer.clear': true,
  'input_audio_buffer.commit': true,
  'response.cancel': true,
  'response.create': true,
  'session.update': true,
};

let fx: Fixture;
afterEach(async () => {
  await fx?.close();
});

describe('openai frames vs the official SDK types', () => {
  it('builds GA and beta frames with the expected discriminants', () => {
    expect(Object.values(gaFrames).every((f) => f.type in CLIENT_EVENT_TYPES)).toBe(true);
    expect(gaFrames.sessionUpdate.session).toMatchObject({
      type: 'realtime',
      tool_choice: { type: 'function', name: 'get_weather' },
      audio: { input: { turn_detection: { type: 'semantic_vad', eagerness: 'high' }, transcription: { model: 'gpt-4o-transcribe', language: 'en' } } },
    });
    expect(gaFrames.withOptions.session).toMatchObject({
      reasoning: { effort: 'xhigh' },
      audio: { input: { noise_reduction: { type: 'near_field' }, turn_detection: { type: 'server_vad', idle_timeout_ms: 6000 } }, output: { speed: 1.1 } },
    });
    // Speed, like the voice, only with the first update (the API changes it only between turns).
    expect(toGASession(serverVad, { includeVoice: false, options: typedOptions }).audio.output.speed).toBeUndefined();
    expect(betaFrames.withOptions.session).toMatchObject({ input_audio_noise_reduction: { type: 'far_field' }, speed: 0.9 });
    expect(betaFrames.sessionUpdate.session.tool_choice).toBe('required');
    expect(betaFrames.replayAssistant.item).toEqual({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'ok' }] });
  });

  it('a full session sends only client event types the SDK knows', async () => {
    fx = await fixture();
    const h = fx.start(fx.adapter(), { config: { tools: [weatherTool], turnDetection: { type: 'none' } } });
    await h.waitForEvent('model.connected');
    h.audio.sendUserAudio(Buffer.alloc(4800), 24000);
    h.send({ type: 'client.commitAudio' });
    h.send({ type: 'client.clearAudio' });
    h.send({ type: 'client.text', text: 'Weather in Bern?' });
    const call = await h.waitForEvent('model.functionCall');
    h.send({ type: 'client.toolOutput', callId: call.callId, name: call.name, output: 1 });
    h.send({ type: 'client.createResponse' });
    await h.waitForEvent('model.outputAudioStarted');
    h.send({ type: 'client.interrupt', playedMs: 10 });
    await h.waitForEvent('model.responseDone', (e) => e.status === 'cancelled');
    const types = new Set(fx.inbound().map((f) => String(f['type'])));
    expect([...types].sort()).toEqual(
      expect.arrayContaining(['conversation.item.create', 'input_audio_buffer.append', 'response.create', 'session.update']),
    );
    for (const type of types) expect(CLIENT_EVENT_TYPES).toHaveProperty([type]);
  });
});
