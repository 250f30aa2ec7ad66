import { describe, expect, it } from 'vitest';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import { ConfigValidationError, NotConnectedError, createRealtimeSession } from '../../index.js';
import { createScriptedModel } from '../../testing.js';
import { record, statePaths, tick } from './event-log.js';

describe('construction', () => {
  it('requires a model, and says so naming the field', () => {
    expect(() => createRealtimeSession({} as never)).toThrow(ConfigValidationError);
    try {
      createRealtimeSession({} as never);
    } catch (error) {
      expect((error as ConfigValidationError).field).toBe('model');
      expect((error as Error).message).toMatch(/Model is required/);
    }
  });

  it('rejects an invalid config with a zod-backed error naming the field', () => {
    const model = createScriptedModel();
    const attempt = () => createRealtimeSession({ model, temperature: 7 });
    expect(attempt).toThrow(ConfigValidationError);
    expect(() => attempt()).toThrow(/temperature/);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigValidationError).field).toBe('temperature');
      expect((error as ConfigValidationError).code).toBe('invalid_config');
    }
    expect(() => createRealtimeSession({ model, turnDetection: { type: 'loud' } as never })).toThrow(/turnDetection/);
    expect(() => createRealtimeSession({ model, maxConcurrentTools: -1 })).toThrow(/maxConcurrentTools/);
    expect(() => createRealtimeSession({ model, bogus: 1 } as never)).toThrow(ConfigValidationError);
  });

  it('never opens a connection before connect()', async () => {
    const model = createScriptedModel();
    const session = createRealtimeSession({ model });
    await tick(5);
    expect(model.connectAttempts).toBe(0);
    expect(session.state).toBe('disconnected');
    await session.close();
  });

  it('applies documented defaults', () => {
    const session = createRealtimeSession({ model: createScriptedModel() });
    const { options, config } = session.actor.getSnapshot().context;
    expect(options).toMatchObject({ autoExecuteTools: true, autoRespondTools: true, maxConcurrentTools: 4 });
    expect(config.turnDetection).toEqual({ type: 'server_vad', silenceDurationMs: 500, interruptResponse: true, createResponse: true });
  });
});

describe('NotConnected', () => {
  it('every verb rejects with a typed NotConnected error before connect and after close', async () => {
    const model = createScriptedModel();
    const session = createRealtimeSession({ model });
    const verbs = [
      () => session.sendText('hi'),
      () => session.commitAudio(),
      () => session.clearAudio(),
      () => session.createResponse(),
      () => session.interrupt(),
      () => session.updateSession({ instructions: 'x' }),
      () => session.sendToolResult('c1', {}),
      () => session.approveTool('c1'),
      () => session.rejectTool('c1', 'no'),
    ];
    for (const verb of verbs) await expect(verb()).rejects.toBeInstanceOf(NotConnectedError);
    expect(() => session.sendAudio(Buffer.alloc(4))).toThrow(NotConnectedError);
    await session.connect();
    await expect(session.sendText('hi')).resolves.toBeUndefined();
    await session.close();
    for (const verb of verbs) await expect(verb()).rejects.toMatchObject({ code: 'not_connected' });
  });

  it('a failed update leaves the canonical config untouched (validation happens first)', async () => {
    const model = createScriptedModel();
    const session = createRealtimeSession({ model, instructions: 'a' });
    await session.connect();
    await expect(session.updateSession({ temperature: 9 })).rejects.toBeInstanceOf(ConfigValidationError);
    await expect(session.updateSession({ model: 'x' } as never)).rejects.toBeInstanceOf(ConfigValidationError);
    expect(session.actor.getSnapshot().context.config.instructions).toBe('a');
    expect(session.actor.getSnapshot().context.config.temperature).toBeUndefined();
    await session.close();
  });
});

describe('connection lifecycle', () => {
  it('connects with the canonical config and gives every connection a fresh id', async () => {
    const model = createScriptedModel({ change: { instructions: 'resumption' } });
    const session = createRealtimeSession({ model, instructions: 'first', voice: 'alloy' });
    const log = record(session);
    await session.connect();
    expect(statePaths(session)).toEqual(['link.connected.turn.idle', 'link.connected.backgroundCalls.none', 'link.connected.floor.open', 'link.connected.resumption.none']);
    expect(model.current().input.config).toMatchObject({ instructions: 'first', voice: 'alloy' });
    expect(model.current().input.reason).toBe('initial');
    await session.updateSession({ instructions: 'second' });
    expect(model.connections.map((c) => c.connectionId)).toEqual([1, 2]);
    expect(log.of('connected').map((e) => e.providerSessionId)).toEqual(['scripted_1', 'scripted_2']);
    await session.close();
  });

  it('a failed connect rejects with the error, rests in failed, and can be retried', async () => {
    let fail = true;
    const model = createScriptedModel({ failConnect: () => fail });
    const session = createRealtimeSession({ model });
    const log = record(session);
    await expect(session.connect()).rejects.toMatchObject({ code: 'connection_failed' });
    expect(session.state).toBe('failed');
    expect(log.of('error')).toHaveLength(1);
    fail = false;
    await session.connect();
    expect(session.connected).toBe(true);
    await session.close();
  });

  it('close() closes the connection, emits closed once, and ends the actor', async () => {
    const model = createScriptedModel();
    const session = createRealtimeSession({ model });
    const log = record(session);
    await session.connect();
    await session.close();
    expect(session.actor.getSnapshot().status).toBe('done');
    expect(log.of('closed')).toHaveLength(1);
    expect(model.current().intents.at(-1)).toEqual({ type: 'client.close' });
    expect(model.current().open).toBe(false);
  });

  it('an unexpected drop is not terminal: the session reconnects with the same config', async () => {
    const model = createScriptedModel();
    const session = createRealtimeSession({ model, instructions: 'keep me' });
    const log = record(session);
    await session.connect();
    model.drop(1006, 'network');
    await log.waitFor('session_resumed');
    expect(log.of('closed')).toHaveLength(0);
    expect(model.current().input).toMatchObject({ reason: 'reconnect', config: { instructions: 'keep me' } });
    expect(session.connected).toBe(true);
    await session.close();
  });

  it('with autoReconnect off, a drop closes the session and says why', async () => {
    const model = createScriptedModel();
    const session = createRealtimeSession({ model, autoReconnect: false });
    const log = record(session);
    await session.connect();
    model.drop(1011, 'server error');
    await log.waitFor('closed');
    expect(log.of('closed')[0]).toMatchObject({ code: 1011, reason: 'server error' });
    expect(session.actor.getSnapshot().status).toBe('done');
  });
});

describe('events', () => {
  it('forwards audio, text, transcripts, speech and response events in arrival order, to on() and events$', async () => {
    const model = createScriptedModel();
    const session = createRealtimeSession({ model });
    const log = record(session);
    const observed = firstValueFrom(
      session.events$.pipe(
        filter((e) => e.type === 'audio' || e.type === 'response_done'),
        take(3),
        toArray(),
      ),
    );
    await session.connect();
    model.push({ type: 'model.speechStarted', audioStartMs: 120 });
    model.push({ type: 'model.speechStopped', audioEndMs: 900 });
    await model.play({ audio: [Buffer.from([1, 2]), Buffer.from([3, 4])], transcript: 'hello there', text: 'hi' });
    // history_updated (the facade's own event, after each history step) is checked in history-*.test.ts.
    const types = log.types().filter((t) => t !== 'history_updated');
    expect(types.slice(1)).toEqual([
      'speech_started',
      'speech_stopped',
      'response_created',
      'audio',
      'audio',
      'transcript',
      'transcript',
      'transcript',
      'text',
      'response_done',
    ]);
    expect(log.of('audio').map((e) => [...e.audio])).toEqual([[1, 2], [3, 4]]);
    expect(log.of('transcript').at(-1)).toMatchObject({ role: 'assistant', text: 'hello there', isFinal: true });
    expect(log.of('speech_started')[0]!.audioStartMs).toBe(120);
    expect((await observed).map((e) => e.type)).toEqual(['audio', 'audio', 'response_done']);
    await session.close();
  });

  it('supports the Rust-style eventHandler callbacks', async () => {
    const calls: string[] = [];
    const model = createScriptedModel();
    const session = createRealtimeSession({
      model,
      eventHandler: {
        onAudio: (audio, itemId) => calls.push(`audio:${audio.length}:${itemId}`),
        onText: (text) => calls.push(`text:${text}`),
        onTranscript: (text) => calls.push(`transcript:${text}`),
        onSpeechStarted: (ms) => calls.push(`speech_started:${ms}`),
        onSpeechStopped: (ms) => calls.push(`speech_stopped:${ms}`),
        onResponseDone: () => calls.push('response_done'),
        onError: (e) => calls.push(`error:${e.code}`),
      },
    });
    await session.connect();
    model.push({ type: 'model.speechStarted', audioStartMs: 5 });
    model.push({ type: 'model.speechStopped', audioEndMs: 9 });
    model.push({ type: 'model.error', error: { code: 'server_error', message: 'boom' } });
    await model.play({ audio: [Buffer.alloc(6)], transcript: 'ok', text: 'T' });
    expect(calls).toEqual([
      'speech_started:5',
      'speech_stopped:9',
      'error:server_error',
      'audio:6:item_resp_1_1',
      'transcript:ok',
      'text:T',
      'response_done',
    ]);
    await session.close();
  });

  it('a provider error event is reported and the session keeps running', async () => {
    const model = createScriptedModel({ responses: [{ transcript: 'still here' }] });
    const session = createRealtimeSession({ model });
    const log = record(session);
    await session.connect();
    model.push({ type: 'model.error', error: { code: 'server_error', message: 'rate limited', providerCode: 'rate_limit_exceeded' } });
    await session.sendText('hello?');
    await log.waitFor('response_done');
    expect(log.of('error')[0]!.error).toMatchObject({ providerCode: 'rate_limit_exceeded' });
    expect(session.connected).toBe(true);
    await session.close();
  });

  it('an adapter event that fails validation becomes a typed error and the session keeps running', async () => {
    const model = createScriptedModel();
    const session = createRealtimeSession({ model });
    const log = record(session);
    await session.connect();
    model.push({ type: 'model.functionCall', callId: '', name: 'x', arguments: '{}' } as never);
    model.push({ type: 'model.goAway', timeLeftMs: -5 } as never);
    expect(log.of('error').map((e) => e.error.code)).toEqual(['invalid_frame', 'invalid_frame']);
    expect(log.of('tool_call')).toHaveLength(0);
    expect(session.connected).toBe(true);
    await session.close();
  });

  it('a listener that throws does not break the session', async () => {
    const model = createScriptedModel();
    const session = createRealtimeSession({ model });
    session.on('speech_started', () => {
      throw new Error('listener bug');
    });
    const log = record(session);
    await session.connect();
    model.push({ type: 'model.speechStarted' });
    model.push({ type: 'model.speechStopped' });
    expect(log.types()).toContain('speech_stopped');
    await session.close();
  });

  it('a wildcard listener that throws, on control or audio events, is logged and contained', async () => {
    const model = createScriptedModel({ responses: [{ audio: [Buffer.alloc(480)], transcript: 'hi' }] });
    const warned: Array<{ event: unknown; msg: string }> = [];
    const debugged: string[] = [];
    const logger = {
      debug: (_o: unknown, msg?: string) => void debugged.push(msg ?? ''),
      info() {},
      warn: (o: unknown, msg?: string) => void warned.push({ event: (o as { event: unknown }).event, msg: msg ?? '' }),
      error() {},
    };
    const session = createRealtimeSession({ model, logger });
    session.on('*', () => {
      throw new Error('listener bug');
    });
    const log = record(session);
    await session.connect();
    await session.sendText('hello');
    await log.waitFor('response_done');
    expect(log.types()).toEqual(expect.arrayContaining(['audio', 'transcript', 'response_created', 'response_done']));
    // Reported once for this listener (as a warning naming the first event it threw on), then as debug lines.
    expect(warned).toEqual([{ event: 'connected', msg: expect.stringContaining('a listener for "connected" threw') }]);
    expect(debugged.filter((m) => m.includes('threw again')).length).toBeGreaterThan(3);
    expect(session.connected).toBe(true);
    await session.close();
  });

});
