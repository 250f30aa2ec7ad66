/**
 * One machine definition for every session (issue 15): the model adapter and the tool handlers
 * travel in the session's input, never through a `.provide()` per session. Sessions sharing the
 * definition keep their own adapter and tools; `.provide()` still replaces either; inspectors see
 * `[session runtime]`, not the handlers.
 */
import { describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { z } from 'zod';
import { createInspectionCallback, createRealtimeSession, createSessionLogic, defineTool, realtimeSessionMachine, type SanitizedInspectionEvent } from '../../index.js';
import { createScriptedModel } from '../../testing.js';
import { record } from './event-log.js';

const whoTool = (answer: string) =>
  defineTool({ name: 'who', description: 'Says who answers', parameters: z.object({}), execute: () => ({ answer }) });

const callsWho = (callId: string) => createScriptedModel({ responses: [{ toolCalls: [{ callId, name: 'who', arguments: {} }] }, { transcript: 'done' }] });

describe('one shared session machine', () => {
  it('runs every session on the same definition, not a provided copy', () => {
    const a = createRealtimeSession({ model: createScriptedModel(), tools: [whoTool('a')] });
    const b = createRealtimeSession({ model: createScriptedModel(), tools: [whoTool('b')] });
    expect(a.actor.logic).toBe(realtimeSessionMachine);
    expect(b.actor.logic).toBe(a.actor.logic);
    const first = createSessionLogic({ model: createScriptedModel() });
    const second = createSessionLogic({ model: createScriptedModel() });
    expect(second.logic).toBe(first.logic);
  });

  it('keeps each session its own adapter and tool handlers', async () => {
    const modelA = callsWho('ca');
    const modelB = callsWho('cb');
    const a = createRealtimeSession({ model: modelA, tools: [whoTool('a')] });
    const b = createRealtimeSession({ model: modelB, tools: [whoTool('b')] });
    const logA = record(a);
    const logB = record(b);
    await Promise.all([a.connect(), b.connect()]);
    void a.sendText('who?');
    void b.sendText('who?');
    const [resultA, resultB] = await Promise.all([logA.waitFor('tool_result'), logB.waitFor('tool_result')]);
    expect(resultA).toMatchObject({ callId: 'ca', output: { answer: 'a' } });
    expect(resultB).toMatchObject({ callId: 'cb', output: { answer: 'b' } });
    const outputs = (m: typeof modelA) => m.current().intents.filter((i) => i.type === 'client.toolOutput');
    expect(outputs(modelA)).toEqual([{ type: 'client.toolOutput', callId: 'ca', name: 'who', output: { answer: 'a' } }]);
    expect(outputs(modelB)).toEqual([{ type: 'client.toolOutput', callId: 'cb', name: 'who', output: { answer: 'b' } }]);
    await Promise.all([a.close(), b.close()]);
  });

  it('lets `.provide()` replace the adapter named in the input', async () => {
    const named = createScriptedModel();
    const provided = createScriptedModel();
    const { logic, input } = createSessionLogic({ model: named, autoConnect: true });
    const actor = createActor(logic.provide({ actors: { model: provided.logic } }), { input }).start();
    await waitFor(actor, (s) => s.hasTag('live'), { timeout: 5_000 });
    expect(provided.connections).toHaveLength(1);
    expect(named.connections).toHaveLength(0);
    actor.stop();
  });

  it('shows inspectors `[session runtime]` and `[tool runtime: …]`, not the adapter and the handlers', async () => {
    const seen: SanitizedInspectionEvent[] = [];
    const model = callsWho('c1');
    const session = createRealtimeSession({ model, tools: [whoTool('a')], inspect: createInspectionCallback((e) => seen.push(e)) });
    const log = record(session);
    await session.connect();
    void session.sendText('who?');
    await log.waitFor('tool_result');
    await session.close();
    const contexts = seen.flatMap((e) => (e.snapshot?.['context'] ? [e.snapshot['context'] as Record<string, unknown>] : []));
    expect(contexts.some((c) => c['runtime'] === '[session runtime]')).toBe(true);
    expect(contexts.some((c) => c['runtime'] === '[tool runtime: 1 tools]')).toBe(true);
    // The model child is started with the runtime in its input, shown the same way (the adapter logic is not walked).
    const modelInputs = seen.flatMap((e) =>
      e.actorId === 'model' && e.event?.type === 'xstate.init' ? [(e.event as unknown as { input: Record<string, unknown> }).input] : [],
    );
    expect(modelInputs.length).toBeGreaterThan(0);
    expect(modelInputs.every((i) => i['runtime'] === '[session runtime]')).toBe(true);
  });
});
