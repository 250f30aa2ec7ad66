/**
 * Context mutation and pending resumption: the behaviour the Rust runner has no tests for.
 * The scripted model is told that instruction/tool/voice changes need resumption (Gemini-like).
 */
import { describe, expect, it } from 'vitest';
import { SimulatedClock, createActor, waitFor } from 'xstate';
import { z } from 'zod';
import { UpdateFailedError, createRealtimeSession, createSessionLogic, defineTool } from '../../index.js';
import { createScriptedModel, type ScriptedModelOptions } from '../../testing.js';
import { record, statePaths, tick, waitUntil } from './event-log.js';

const geminiLike: ScriptedModelOptions['change'] = {
  instructions: 'resumption',
  tools: 'resumption',
  voice: 'resumption',
  temperature: 'resumption',
};

async function connected(options: ScriptedModelOptions = {}, sessionOptions: Record<string, unknown> = {}) {
  const model = createScriptedModel({ change: geminiLike, ...options });
  const session = createRealtimeSession({ model, instructions: 'v1', ...sessionOptions });
  const log = record(session);
  await session.connect();
  return { model, session, log };
}

describe('in-place updates', () => {
  it('applies a change the adapter can take in place, with the full config, and sends the bridge at once', async () => {
    const { model, session, log } = await connected({ change: {} });
    const outcome = await session.updateSession({ instructions: 'v2', temperature: 0.3 }, { bridgeMessage: 'Now in v2.' });
    expect(outcome).toBe('applied');
    expect(model.connections).toHaveLength(1);
    const intents = model.current().intents;
    const update = intents.find((i) => i.type === 'client.updateConfig');
    expect(update).toMatchObject({ config: { instructions: 'v2', temperature: 0.3 }, changed: ['instructions', 'temperature'] });
    await waitUntil(() => intents.some((i) => i.type === 'client.text'));
    expect(intents.findIndex((i) => i.type === 'client.text')).toBeGreaterThan(intents.indexOf(update!));
    expect(intents.find((i) => i.type === 'client.text')).toMatchObject({ text: 'Now in v2.', respond: true });
    expect(log.of('session_updated')[0]).toMatchObject({ outcome: 'applied', changed: ['instructions', 'temperature'] });
    expect(session.actor.getSnapshot().context.liveConfig.instructions).toBe('v2');
    await session.close();
  });

  it('a change the server rejects is reported as a failed update and the config reverts', async () => {
    const { session, log } = await connected({ change: {}, rejectUpdates: true });
    await expect(session.updateSession({ instructions: 'v2' })).rejects.toBeInstanceOf(UpdateFailedError);
    expect(session.actor.getSnapshot().context.config.instructions).toBe('v1');
    expect(log.of('update_failed')[0]!.error.code).toBe('update_rejected');
    expect(session.connected).toBe(true);
    await session.close();
  });

  it('an update that changes nothing resolves applied and sends nothing', async () => {
    const { model, session } = await connected();
    expect(await session.updateSession({ instructions: 'v1' })).toBe('applied');
    expect(model.current().intents).toEqual([]);
    expect(model.connections).toHaveLength(1);
    await session.close();
  });

  it('an in-place update still unconfirmed when the connection is replaced settles with the replacement', async () => {
    const { model, session } = await connected({ change: { instructions: 'inPlace', voice: 'resumption' } });
    const inPlace = session.updateSession({ instructions: 'v2' }, { bridgeMessage: 'Now v2.' });
    const resumed = session.updateSession({ voice: 'puck' });
    expect(await resumed).toBe('resumed');
    expect(await inPlace).toBe('resumed');
    expect(model.current().input.config).toMatchObject({ instructions: 'v2', voice: 'puck' });
    // Its bridge message is not lost: the replacement carries it.
    expect(model.current().intents[0]).toMatchObject({ type: 'client.text', text: 'Now v2.', respond: true });
    expect(session.actor.getSnapshot().context.inFlightUpdates).toEqual({});
    await session.close();
  });

  it('an in-place update still unconfirmed when the socket drops settles with the reconnect', async () => {
    const { model, session, log } = await connected({ change: { instructions: 'inPlace' } });
    const inPlace = session.updateSession({ instructions: 'v2' });
    model.drop(1006, 'lost');
    expect(await inPlace).toBe('resumed');
    expect(log.of('session_resumed')).toHaveLength(1);
    expect(model.current().input.config.instructions).toBe('v2');
    await session.close();
  });

  it('a voice change is in place before the first audio and needs resumption after it', async () => {
    const { model, session } = await connected({ change: { voice: 'beforeAudio' } });
    expect(await session.updateSession({ voice: 'ash' })).toBe('applied');
    await model.play({ audio: [Buffer.alloc(4)] });
    expect(await session.updateSession({ voice: 'verse' })).toBe('resumed');
    expect(model.connections).toHaveLength(2);
    expect(model.current().input.config.voice).toBe('verse');
    // The new connection has produced no audio yet, so the next voice change is in place again.
    expect(await session.updateSession({ voice: 'ash' })).toBe('applied');
    await session.close();
  });
});

describe('pending resumption', () => {
  it('resumes at once when idle: close, reconnect with the merged config, then the bridge message', async () => {
    const { model, session, log } = await connected();
    const outcome = await session.updateSession({ instructions: 'billing' }, { bridgeMessage: 'You were transferred to billing.' });
    expect(outcome).toBe('resumed');
    const [old, fresh] = model.connections;
    expect(old!.open).toBe(false);
    expect(old!.intents.some((i) => i.type === 'client.text')).toBe(false);
    expect(fresh!.input).toMatchObject({ reason: 'mutation', config: { instructions: 'billing' } });
    expect(fresh!.intents[0]).toEqual({ type: 'client.text', text: 'You were transferred to billing.', role: 'user', respond: true, requestId: expect.stringMatching(/^vx_req_/) });
    expect(log.of('session_resumed')[0]).toMatchObject({ reason: 'mutation', connectionId: 2 });
    await session.close();
  });

  it('queues while a response is generating and runs after response done', async () => {
    const { model, session, log } = await connected({ responses: [{ transcript: 'long answer', holdOpen: true }] });
    await session.sendText('tell me a story');
    await log.waitFor('response_created');
    expect(await session.updateSession({ instructions: 'v2' }, { bridgeMessage: 'bridge' })).toBe('queued');
    expect(log.of('resumption_queued')[0]).toMatchObject({ reason: 'mutation', changed: ['instructions'] });
    await tick(20);
    expect(model.connections).toHaveLength(1);
    expect(statePaths(session)).toContain('link.connected.resumption.pending');
    model.finishResponse();
    await log.waitFor('session_resumed');
    expect(model.connections).toHaveLength(2);
    expect(model.current().input.config.instructions).toBe('v2');
    expect(model.current().intents[0]).toMatchObject({ type: 'client.text', text: 'bridge' });
    // The response_done of the old connection came before the resumption.
    const types = log.types();
    expect(types.indexOf('response_done')).toBeLessThan(types.indexOf('session_resumed'));
    await session.close();
  });

  it('queues while a tool call is outstanding (even after response done) and answers it on the old connection first', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = defineTool({
      name: 'slow_lookup',
      parameters: z.object({}),
      execute: async () => {
        await gate;
        return { done: true };
      },
    });
    const { model, session, log } = await connected({ responses: [{ toolCalls: [{ callId: 'c1', name: 'slow_lookup', arguments: {} }] }] }, { tools: [slow] });
    await session.sendText('look it up');
    await log.waitFor('response_done');
    expect(statePaths(session)).toContain('link.connected.turn.executingTools');
    expect(await session.updateSession({ instructions: 'v2' })).toBe('queued');
    await tick(20);
    expect(model.connections).toHaveLength(1);
    release();
    await log.waitFor('session_resumed');
    const old = model.connections[0]!;
    const outputIndex = old.intents.findIndex((i) => i.type === 'client.toolOutput' && i.callId === 'c1');
    expect(outputIndex).toBeGreaterThanOrEqual(0);
    // The follow-up response for the tool turn ran on the old connection before the swap.
    expect(old.intents.slice(outputIndex + 1).map((i) => i.type)).toEqual(['client.createResponse']);
    expect(model.connections[1]!.intents.some((i) => i.type === 'client.toolOutput')).toBe(false);
    // ...and it was allowed to finish: the swap waited for the follow-up's response_done.
    const types = log.types();
    const result = types.indexOf('tool_result');
    expect(types.slice(result)).toEqual(expect.arrayContaining(['response_created', 'response_done', 'session_resumed']));
    expect(types.indexOf('response_created', result)).toBeLessThan(types.indexOf('response_done', result));
    expect(types.indexOf('response_done', result)).toBeLessThan(types.indexOf('session_resumed', result));
    await session.close();
  });

  it('a message that asks for a reply makes the turn busy: a resumption queues behind the reply', async () => {
    const { model, session, log } = await connected({ autoRespond: false });
    await session.sendText('what is the weather?');
    expect(statePaths(session)).toContain('link.connected.turn.generating.requested');
    expect(await session.updateSession({ instructions: 'v2' })).toBe('queued');
    await tick(20);
    expect(model.connections).toHaveLength(1);
    await model.play({ transcript: 'Sunny.' });
    await log.waitFor('session_resumed');
    expect(model.connections).toHaveLength(2);
    expect(log.types().indexOf('response_done')).toBeLessThan(log.types().indexOf('session_resumed'));
    // A text that asks for no reply leaves the turn idle, so the next change applies at once.
    await session.sendText('just so you know', { respond: false });
    expect(statePaths(session)).toContain('link.connected.turn.idle');
    expect(await session.updateSession({ instructions: 'v3' })).toBe('resumed');
    await session.close();
  });

  it('the bridge after a reconnect holds the turn: an update requested during the swap waits for its reply', async () => {
    const { model, session, log } = await connected({ connectDelayMs: 20, autoRespond: false });
    const first = session.updateSession({ instructions: 'v2' }, { bridgeMessage: 'You are now v2.' });
    await waitUntil(() => statePaths(session).includes('link.resuming'), 'resuming');
    const second = session.updateSession({ instructions: 'v3' });
    expect(await first).toBe('resumed');
    expect(await second).toBe('queued');
    expect(statePaths(session)).toContain('link.connected.turn.generating.requested');
    await tick(30);
    // The connection that carries the bridge is not replaced before the bridge is answered.
    expect(model.connections).toHaveLength(2);
    expect(model.current().intents[0]).toMatchObject({ type: 'client.text', text: 'You are now v2.', respond: true });
    await model.play({ transcript: 'Hello from v2.' });
    await waitUntil(() => model.connections.length === 3, 'the queued update to run');
    expect(model.current().input.config.instructions).toBe('v3');
    expect(log.of('session_resumed')).toHaveLength(1);
    await waitUntil(() => log.of('session_resumed').length === 2, 'the second resumption');
    await session.close();
  });

  it('an in-place bridge on an idle turn makes the turn busy until its reply', async () => {
    const { model, session } = await connected({ change: { instructions: 'inPlace', voice: 'resumption' }, autoRespond: false });
    expect(await session.updateSession({ instructions: 'v2' }, { bridgeMessage: 'Switching.' })).toBe('applied');
    await waitUntil(() => statePaths(session).includes('link.connected.turn.generating.requested'), 'the bridge to ask for a reply');
    expect(await session.updateSession({ voice: 'puck' })).toBe('queued');
    await model.play({});
    await waitUntil(() => model.connections.length === 2, 'the queued voice change');
    await session.close();
  });

  it('a call admitted before its response started still holds the turn when the start times out', async () => {
    const slow = defineTool({ name: 'slow', parameters: z.object({}), execute: (_a, { signal }) => new Promise((_r, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))) });
    const model = createScriptedModel({ change: geminiLike, autoRespond: false });
    const { logic, input } = createSessionLogic({ model, tools: [slow], instructions: 'v1', toolTimeoutMs: 60_000 });
    const clock = new SimulatedClock();
    const actor = createActor(logic, { input, clock }).start();
    try {
      actor.send({ type: 'session.connect' });
      await waitFor(actor, (s) => s.matches({ link: 'connected' }), { timeout: 1_000 });
      actor.send({ type: 'session.createResponse' });
      model.push({ type: 'model.functionCall', callId: 'c1', name: 'slow', arguments: '{}' });
      clock.increment(16_000); // past responseStartTimeout (15 s) with no response_created
      expect(actor.getSnapshot().matches({ link: { connected: { turn: 'executingTools' } } })).toBe(true);
      actor.send({ type: 'session.update', requestId: 'u1', delta: { instructions: 'v2' } });
      expect(actor.getSnapshot().matches({ link: { connected: { resumption: 'pending' } } })).toBe(true);
      expect(model.connections).toHaveLength(1);
    } finally {
      actor.stop();
    }
  });

  it('last write wins: one reconnect with the latest config and only the latest bridge message', async () => {
    const { model, session, log } = await connected({ responses: [{ holdOpen: true }] });
    await session.sendText('go');
    await log.waitFor('response_created');
    expect(await session.updateSession({ instructions: 'A' }, { bridgeMessage: 'bridge A' })).toBe('queued');
    expect(await session.updateSession({ instructions: 'B', voice: 'puck' }, { bridgeMessage: 'bridge B' })).toBe('queued');
    model.finishResponse();
    await log.waitFor('session_resumed');
    await tick(10);
    expect(model.connections).toHaveLength(2);
    expect(model.current().input.config).toMatchObject({ instructions: 'B', voice: 'puck' });
    const texts = model.current().intents.filter((i) => i.type === 'client.text');
    expect(texts).toEqual([{ type: 'client.text', text: 'bridge B', role: 'user', respond: true, requestId: expect.stringMatching(/^vx_req_/) }]);
    expect(log.of('resumption_queued').at(-1)!.changed.sort()).toEqual(['instructions', 'voice']);
    await session.close();
  });

  it('reads the latest resumable handle when the resumption executes, not when it was queued', async () => {
    const { model, session, log } = await connected({ responses: [{ holdOpen: true }] });
    model.push({ type: 'model.resumptionHandle', handle: 'h1', resumable: true });
    await session.sendText('go');
    await log.waitFor('response_created');
    await session.updateSession({ instructions: 'v2' });
    model.push({ type: 'model.resumptionHandle', handle: 'h2', resumable: true });
    model.push({ type: 'model.resumptionHandle', handle: '', resumable: false });
    model.push({ type: 'model.resumptionHandle', handle: 'h3', resumable: false });
    model.finishResponse();
    await log.waitFor('session_resumed');
    expect(model.current().input.resumptionHandle).toBe('h2');
    // Replacing `extra` does not erase the handle: it is not stored in the config.
    expect(await session.updateSession({ extra: { any: 1 } })).toBe('applied');
    expect(session.actor.getSnapshot().context.resumptionHandle).toBe('h2');
    await session.close();
  });

  it('is never reported as disconnected while resuming, and user audio sent meanwhile is buffered and flushed in order', async () => {
    const { model, session, log } = await connected({ connectDelayMs: 30 });
    const seen = new Set<string>();
    const sub = session.actor.subscribe((s) => seen.add(JSON.stringify(s.value)));
    session.sendAudio(Buffer.from([1, 1]));
    const update = session.updateSession({ instructions: 'v2' });
    await waitUntil(() => statePaths(session).includes('link.resuming'), 'resuming');
    expect(session.connected).toBe(true);
    session.sendAudio(Buffer.from([2, 2]));
    session.sendAudio(Buffer.from([3, 3]));
    await session.sendText('typed while resuming');
    expect(await update).toBe('resumed');
    sub.unsubscribe();
    expect([...seen].some((v) => v.includes('disconnected') || v.includes('failed'))).toBe(false);
    expect(model.connections[0]!.userAudio.map((b) => [...b])).toEqual([[1, 1]]);
    expect(model.connections[1]!.userAudio.map((b) => [...b])).toEqual([[2, 2], [3, 3]]);
    expect(model.connections[1]!.intents.some((i) => i.type === 'client.text' && i.text === 'typed while resuming')).toBe(true);
    expect(log.of('closed')).toHaveLength(0);
    await session.close();
  });

  it('an update or text sent while resuming or backing off is handled once the new connection is up', async () => {
    const { model, session, log } = await connected({ connectDelayMs: 20, failConnect: (a) => a === 2 });
    const first = session.updateSession({ instructions: 'v2' });
    await waitUntil(() => statePaths(session).includes('resumeBackoff'), 'backoff');
    await session.sendText('typed during backoff');
    const second = session.updateSession({ temperature: 0.5 });
    expect(await first).toBe('resumed');
    // The text asks for a reply, so the later update waits for that reply instead of replacing
    // the connection that is producing it.
    expect(await second).toBe('queued');
    await waitUntil(() => log.of('session_resumed').length === 2, 'the second resumption');
    expect(model.current().input.config).toMatchObject({ instructions: 'v2', temperature: 0.5 });
    const answered = model.connections.filter((c) => c.intents.some((i) => i.type === 'client.text' && i.text === 'typed during backoff'));
    expect(answered).toHaveLength(1);
    const types = log.types();
    const firstResumed = types.indexOf('session_resumed');
    const replyDone = types.indexOf('response_done', firstResumed);
    expect(replyDone).toBeGreaterThan(firstResumed);
    expect(types.indexOf('session_resumed', firstResumed + 1)).toBeGreaterThan(replyDone);
    // The queued one is answered again, by its request id, when its resumption ran.
    expect(log.of('session_updated').map((e) => e.outcome)).toEqual(['resumed', 'queued', 'resumed']);
    await session.close();
  });

  it('audio held while resuming stays out of snapshots (the context carries counters only)', async () => {
    const { session } = await connected({ connectDelayMs: 30 });
    const update = session.updateSession({ instructions: 'v2' });
    await waitUntil(() => statePaths(session).includes('link.resuming'), 'resuming');
    for (let i = 0; i < 50; i++) session.sendAudio(Buffer.alloc(960, 7)); // 1 s at 24 kHz
    const persisted = JSON.stringify(session.actor.getPersistedSnapshot());
    const live = JSON.stringify(session.actor.getSnapshot().context.audio);
    expect(JSON.parse(live)).toMatchObject({ holding: true, heldBytes: 48_000 });
    expect(persisted.length).toBeLessThan(20_000);
    expect(persisted).not.toMatch(/(7,){20}/);
    await update;
    await session.close();
  });

  it('bounds the audio buffered while resuming and reports what it dropped', async () => {
    const { model, session, log } = await connected({ connectDelayMs: 30 }, { maxBufferedAudioMs: 10, inputSampleRate: 16_000 });
    const update = session.updateSession({ instructions: 'v2' });
    await waitUntil(() => statePaths(session).includes('link.resuming'), 'resuming');
    // 10 ms at 16 kHz PCM16 = 320 bytes: send 5 × 160 bytes, the two oldest must go.
    for (let i = 1; i <= 5; i++) session.sendAudio(Buffer.alloc(160, i));
    await update;
    expect(model.current().userAudio.map((b) => b[0])).toEqual([4, 5]);
    expect(log.of('error').map((e) => e.error.code)).toContain('audio_buffer_overflow');
    await session.close();
  });
});

describe('resumption failures', () => {
  it('retries with backoff up to 3 attempts in total, then drops the mutation and restores the old config', async () => {
    // Attempt 1 is the initial connect; attempts 2–4 are the three tries of the mutation.
    const model = createScriptedModel({ change: geminiLike, failConnect: (attempt) => attempt >= 2 && attempt <= 4 });
    const session = createRealtimeSession({ model, instructions: 'v1' });
    const log = record(session);
    await session.connect();
    const outcome = session.updateSession({ instructions: 'v2' });
    await expect(outcome).rejects.toBeInstanceOf(UpdateFailedError);
    await expect(outcome).rejects.toMatchObject({ code: 'resumption_failed' });
    expect(log.of('resumption_failed')).toEqual([expect.objectContaining({ attempts: 3 })]);
    await log.waitFor('session_resumed', (e) => e.reason === 'restore');
    expect(model.connectAttempts).toBe(5);
    expect(model.connections.slice(1, 4).map((c) => c.input.config.instructions)).toEqual(['v2', 'v2', 'v2']);
    expect(model.current().input).toMatchObject({ reason: 'restore', config: { instructions: 'v1' } });
    expect(session.actor.getSnapshot().context.config.instructions).toBe('v1');
    expect(session.connected).toBe(true);
    await session.close();
  });

  it('a queued mutation that keeps failing is dropped the same way', async () => {
    const model = createScriptedModel({ change: geminiLike, responses: [{ holdOpen: true }], failConnect: (a) => a >= 2 && a <= 4 });
    const session = createRealtimeSession({ model, instructions: 'v1' });
    const log = record(session);
    await session.connect();
    await session.sendText('go');
    await log.waitFor('response_created');
    expect(await session.updateSession({ instructions: 'v2' })).toBe('queued');
    model.finishResponse();
    await log.waitFor('resumption_failed');
    await log.waitFor('session_resumed', (e) => e.reason === 'restore');
    expect(session.actor.getSnapshot().context.config.instructions).toBe('v1');
    await session.close();
  });

  it('a reconnect after a drop that never succeeds ends in failed with the reason', async () => {
    const model = createScriptedModel({ failConnect: (a) => a >= 2 });
    const session = createRealtimeSession({ model });
    const log = record(session);
    await session.connect();
    model.drop();
    await waitUntil(() => session.state === 'failed', 'failed', 5000);
    expect(model.connectAttempts).toBe(4);
    expect(log.of('resumption_failed')[0]!.attempts).toBe(3);
    await expect(session.sendText('x')).rejects.toMatchObject({ code: 'not_connected' });
    await session.close();
  });
});

describe('goAway', () => {
  it('emits go_away and resumes at the first idle moment, with the latest handle', async () => {
    const { model, session, log } = await connected({ responses: [{ holdOpen: true }] });
    model.push({ type: 'model.resumptionHandle', handle: 'h1', resumable: true });
    await session.sendText('go');
    await log.waitFor('response_created');
    model.push({ type: 'model.goAway', timeLeftMs: 5_000 });
    expect(log.of('go_away')[0]!.timeLeftMs).toBe(5_000);
    await tick(20);
    expect(model.connections).toHaveLength(1);
    model.finishResponse();
    await log.waitFor('session_resumed');
    expect(model.current().input).toMatchObject({ reason: 'reconnect', resumptionHandle: 'h1' });
    await session.close();
  });

  it('forces the resumption before the deadline, answering outstanding tool calls on the old connection first', async () => {
    const hang = defineTool({ name: 'hang', parameters: z.object({}), execute: (_a, { signal }) => new Promise((_r, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))) });
    const { model, session, log } = await connected({ responses: [{ toolCalls: [{ callId: 'g1', name: 'hang', arguments: {} }] }] }, { tools: [hang] });
    await session.sendText('go');
    await log.waitFor('tool_call');
    model.push({ type: 'model.goAway', timeLeftMs: 80 });
    await log.waitFor('session_resumed', () => true, 2000);
    const old = model.connections[0]!;
    expect(old.intents.find((i) => i.type === 'client.toolOutput')).toMatchObject({ callId: 'g1', output: { error: { type: 'cancelled' } } });
    expect(model.connections[1]!.intents.some((i) => i.type === 'client.toolOutput')).toBe(false);
    expect(log.of('tool_result')[0]).toMatchObject({ callId: 'g1', status: 'cancelled', delivered: true });
    await session.close();
  });
});

describe('tools in updates', () => {
  it('a tool an update removed is unknown to the model from then on, though its handler stays registered', async () => {
    const oldTool = defineTool({ name: 'old_tool', parameters: z.object({}), execute: () => ({ ran: 'old' }) });
    const newTool = defineTool({ name: 'new_tool', parameters: z.object({}), execute: () => ({ ran: 'new' }) });
    // The second response is the follow-up after the first call's output.
    const { model, session, log } = await connected(
      { change: {}, responses: [{ toolCalls: [{ callId: 'a1', name: 'old_tool', arguments: {} }] }, { toolCalls: [{ callId: 'a2', name: 'new_tool', arguments: {} }] }] },
      { tools: [oldTool] },
    );
    expect(await session.updateSession({ tools: [newTool] })).toBe('applied');
    await session.sendText('use the old one');
    const removed = await log.waitFor('tool_result', (e) => e.callId === 'a1');
    expect(removed).toMatchObject({ status: 'failed', output: { error: { type: 'unknown_tool', message: 'Unknown tool: old_tool (available: new_tool)' } } });
    expect(await log.waitFor('tool_result', (e) => e.callId === 'a2')).toMatchObject({ status: 'succeeded', output: { ran: 'new' } });
    expect(model.connections).toHaveLength(1);
    await session.close();
  });

  it('registers the handlers of tools added by an update, so the model can call them', async () => {
    const { model, session, log } = await connected({ change: {}, responses: [{ toolCalls: [{ callId: 'n1', name: 'new_tool', arguments: { q: 'x' } }] }] });
    const newTool = defineTool({ name: 'new_tool', parameters: z.object({ q: z.string() }), execute: ({ q }) => ({ echoed: q }) });
    expect(await session.updateSession({ tools: [newTool] })).toBe('applied');
    await session.sendText('use it');
    const result = await log.waitFor('tool_result');
    expect(result).toMatchObject({ status: 'succeeded', output: { echoed: 'x' } });
    expect(model.current().intents.find((i) => i.type === 'client.updateConfig')).toMatchObject({
      config: { tools: [{ name: 'new_tool', parameters: { type: 'object', properties: { q: { type: 'string' } } } }] },
    });
    await session.close();
  });
});
