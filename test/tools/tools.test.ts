/**
 * Tools as sub-actors: every call answered exactly once, the follow-up response rule, the
 * concurrency cap, timeouts, bad input, cancellation, approval, and no leaks.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRealtimeSession, defineTool, toolFromHandler, type AnyToolDefinition } from '../../index.js';
import { createScriptedModel, type ScriptedModelOptions } from '../../testing.js';
import { record, statePaths, tick, waitUntil } from '../session/event-log.js';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function start(tools: AnyToolDefinition[], options: ScriptedModelOptions = {}, sessionOptions: Record<string, unknown> = {}) {
  const model = createScriptedModel(options);
  const session = createRealtimeSession({ model, tools, ...sessionOptions });
  const log = record(session);
  await session.connect();
  return { model, session, log };
}

const outputsOf = (model: ReturnType<typeof createScriptedModel>) =>
  model.current().intents.filter((i): i is Extract<typeof i, { type: 'client.toolOutput' }> => i.type === 'client.toolOutput');
const responsesRequested = (model: ReturnType<typeof createScriptedModel>) =>
  model.current().intents.filter((i) => i.type === 'client.createResponse').length;

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its input',
  parameters: z.object({ value: z.string(), times: z.number().int().default(1) }),
  execute: ({ value, times }) => ({ echoed: value.repeat(times) }),
});

describe('defining tools', () => {
  it('sends the input-side JSON Schema (defaulted fields optional) and validates typed arguments', async () => {
    const { model, session, log } = await start([echo], { responses: [{ toolCalls: [{ callId: 'e1', name: 'echo', arguments: { value: 'ab' } }] }] });
    expect(model.current().input.config.tools).toEqual([
      {
        name: 'echo',
        description: 'Echoes its input',
        parameters: {
          type: 'object',
          properties: { value: { type: 'string' }, times: { type: 'integer', default: 1, minimum: -9007199254740991, maximum: 9007199254740991 } },
          required: ['value'],
        },
      },
    ]);
    await session.sendText('echo ab');
    await log.waitFor('tool_result');
    expect(outputsOf(model)).toEqual([{ type: 'client.toolOutput', callId: 'e1', name: 'echo', output: { echoed: 'ab' } }]);
    await session.close();
  });

  it('accepts a plain JSON-Schema definition plus handler, and the last registration of a name wins', async () => {
    const first = toolFromHandler({ name: 'lookup', parameters: { type: 'object' } }, () => 'first');
    const second = toolFromHandler({ name: 'lookup', description: 'v2', parameters: { type: 'object' } }, (call) => ({ got: call.arguments, id: call.callId }));
    const { model, session, log } = await start([first, second], { responses: [{ toolCalls: [{ callId: 'l1', name: 'lookup', arguments: { a: 1 } }] }] });
    expect(model.current().input.config.tools).toEqual([{ name: 'lookup', description: 'v2', parameters: { type: 'object' } }]);
    await session.sendText('go');
    expect((await log.waitFor('tool_result')).output).toEqual({ got: { a: 1 }, id: 'l1' });
    await session.close();
  });

  it('gives execute the call id, an AbortSignal and the session', async () => {
    let seen: { callId: string; aborted: boolean; hasSession: boolean } | undefined;
    const probe = defineTool({
      name: 'probe',
      parameters: z.object({}),
      execute: (_args, ctx) => {
        seen = { callId: ctx.callId, aborted: ctx.signal.aborted, hasSession: typeof (ctx.session as { sendText?: unknown })?.sendText === 'function' };
        return 'ok';
      },
    });
    const { session, log } = await start([probe], { responses: [{ toolCalls: [{ callId: 'p1', name: 'probe', arguments: {} }] }] });
    await session.sendText('go');
    await log.waitFor('tool_result');
    expect(seen).toEqual({ callId: 'p1', aborted: false, hasSession: true });
    await session.close();
  });
});

describe('exactly one output per call, and one follow-up response per tool turn', () => {
  it('N calls in one response give N outputs and one response request after the response is done', async () => {
    const { model, session, log } = await start([echo], {
      responses: [
        {
          toolCalls: [
            { callId: 'a', name: 'echo', arguments: { value: 'a' } },
            { callId: 'b', name: 'echo', arguments: { value: 'b' } },
            { callId: 'c', name: 'echo', arguments: { value: 'c' } },
          ],
        },
        { transcript: 'done' },
      ],
    });
    await session.sendText('three');
    await waitUntil(() => log.of('response_done').length === 2, 'two responses');
    expect(outputsOf(model).map((o) => o.callId).sort()).toEqual(['a', 'b', 'c']);
    expect(responsesRequested(model)).toBe(1);
    const intents = model.current().intents.map((i) => i.type);
    expect(intents.lastIndexOf('client.toolOutput')).toBeLessThan(intents.indexOf('client.createResponse'));
    // The follow-up response's own response_done sends nothing more.
    await tick(20);
    expect(responsesRequested(model)).toBe(1);
    expect(statePaths(session)).toContain('link.connected.turn.idle');
    await session.close();
  });

  it('waits for tools that outlive the response: the request follows the last tool, not response done', async () => {
    const gates = [deferred(), deferred()];
    const slow = defineTool({
      name: 'slow',
      parameters: z.object({ i: z.number() }),
      execute: async ({ i }) => {
        await gates[i]!.promise;
        return { i };
      },
    });
    const { model, session, log } = await start([slow], {
      responses: [{ toolCalls: [{ callId: 's0', name: 'slow', arguments: { i: 0 } }, { callId: 's1', name: 'slow', arguments: { i: 1 } }] }],
    });
    await session.sendText('go');
    await log.waitFor('response_done');
    expect(statePaths(session)).toContain('link.connected.turn.executingTools');
    gates[1]!.resolve();
    await log.waitFor('tool_result', (e) => e.callId === 's1');
    expect(responsesRequested(model)).toBe(0);
    gates[0]!.resolve();
    await waitUntil(() => responsesRequested(model) === 1, 'follow-up');
    await log.waitFor('response_done', () => log.of('response_done').length === 2);
    expect(outputsOf(model).map((o) => o.callId)).toEqual(['s1', 's0']);
    expect(responsesRequested(model)).toBe(1);
    await session.close();
  });

  it('a response without tool calls requests nothing', async () => {
    const { model, session, log } = await start([echo], { responses: [{ transcript: 'plain' }] });
    await session.sendText('hi');
    await log.waitFor('response_done');
    await tick(10);
    expect(responsesRequested(model)).toBe(0);
    await session.close();
  });

  it('a credential in a thrown error never reaches the model, the events or the log', async () => {
    const key = 'sk-proj-abcdefghijklmnopqrstuvwx';
    const leaky = defineTool({ name: 'leaky', parameters: z.object({}), execute: () => { throw new Error(`upstream 401 for Bearer ${key} (key=${key})`); } });
    const { model, session, log } = await start([leaky], { responses: [{ toolCalls: [{ callId: 'k', name: 'leaky', arguments: {} }] }] });
    await session.sendText('go');
    const result = await log.waitFor('tool_result');
    expect(result.status).toBe('failed');
    expect((result.output as { error: { message: string } }).error.message).toContain('[redacted]');
    expect(JSON.stringify(outputsOf(model))).not.toContain(key);
    expect(JSON.stringify(log.events)).not.toContain(key);
    expect(JSON.stringify(session.actor.getSnapshot().context)).not.toContain(key);
    await session.close();
  });

  it('turns bad input into structured error outputs: unknown tool, non-JSON and schema failures, a throwing tool', async () => {
    const boom = defineTool({ name: 'boom', parameters: z.object({}), execute: () => { throw new Error('disk on fire'); } });
    const { model, session, log } = await start([echo, boom], {
      responses: [
        {
          toolCalls: [
            { callId: 'u', name: 'nope', arguments: {} },
            { callId: 'j', name: 'echo', arguments: '{"value": "unterminated' },
            { callId: 's', name: 'echo', arguments: { value: 42, times: 'x' } },
            { callId: 'a', name: 'echo', arguments: '[1,2]' },
            { callId: 't', name: 'boom', arguments: {} },
          ],
        },
      ],
    });
    await session.sendText('go');
    await waitUntil(() => log.of('tool_result').length === 5, 'five results');
    const byId = Object.fromEntries(outputsOf(model).map((o) => [o.callId, o.output as { error: { type: string; message: string; issues?: unknown[] } }]));
    expect(byId['u']!.error).toMatchObject({ type: 'unknown_tool', message: expect.stringContaining('Unknown tool: nope (available: echo, boom)') });
    expect(byId['j']!.error).toMatchObject({ type: 'invalid_arguments', message: expect.stringContaining('not valid JSON') });
    expect(byId['s']!.error.type).toBe('invalid_arguments');
    expect(byId['s']!.error.issues).toEqual([
      { path: 'value', message: expect.stringMatching(/string/) },
      { path: 'times', message: expect.stringMatching(/number/) },
    ]);
    expect(byId['a']!.error).toMatchObject({ type: 'invalid_arguments', message: expect.stringContaining('JSON object') });
    expect(byId['t']!.error).toEqual({ type: 'tool_error', message: 'boom failed: disk on fire' });
    expect(log.of('tool_result').map((r) => r.status).sort()).toEqual(['failed', 'failed', 'failed', 'failed', 'failed']);
    await waitUntil(() => responsesRequested(model) === 1, 'one follow-up');
    await tick(10);
    expect(responsesRequested(model)).toBe(1);
    expect(session.connected).toBe(true);
    await session.close();
  });
});

describe('limits', () => {
  it('caps concurrency (peak running ≤ cap, measured) while intake is never blocked', async () => {
    let running = 0;
    let peak = 0;
    const gates = Array.from({ length: 5 }, () => deferred());
    const started: number[] = [];
    const work = defineTool({
      name: 'work',
      parameters: z.object({ i: z.number() }),
      execute: async ({ i }) => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await gates[i]!.promise;
        running--;
        return { i };
      },
    });
    const { model, session, log } = await start([work], {
      responses: [{ toolCalls: [0, 1, 2, 3, 4].map((i) => ({ callId: `w${i}`, name: 'work', arguments: { i } })) }],
    }, { maxConcurrentTools: 2 });
    await session.sendText('go');
    await waitUntil(() => started.length === 2, 'two started');
    await tick(10);
    expect(started).toEqual([0, 1]);
    expect(session.actor.getSnapshot().context.toolQueue).toEqual(['w2', 'w3', 'w4']);
    // Intake: audio from the model keeps flowing while every slot is busy.
    model.deliver({ type: 'audio', audio: Buffer.from([9, 9]), sampleRate: 24_000, itemId: 'x', responseId: undefined });
    expect(log.of('audio')).toHaveLength(1);
    for (const gate of gates) gate.resolve();
    await waitUntil(() => log.of('tool_result').length === 5, 'all results');
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(outputsOf(model)).toHaveLength(5);
    await session.close();
  });

  it('runs calls in parallel up to the cap (a 3-party barrier completes)', async () => {
    let arrived = 0;
    const barrier = deferred();
    const meet = defineTool({
      name: 'meet',
      parameters: z.object({}),
      execute: async () => {
        if (++arrived === 3) barrier.resolve();
        await barrier.promise;
        return 'met';
      },
    });
    const { session, log } = await start([meet], {
      responses: [{ toolCalls: [1, 2, 3].map((i) => ({ callId: `m${i}`, name: 'meet', arguments: {} })) }],
    }, { maxConcurrentTools: 3 });
    await session.sendText('go');
    await waitUntil(() => log.of('tool_result').length === 3, 'barrier');
    expect(log.of('tool_result').every((r) => r.status === 'succeeded')).toBe(true);
    await session.close();
  });

  it('maxConcurrentTools 0 behaves as 1', async () => {
    let running = 0;
    let peak = 0;
    const t = defineTool({ name: 't', parameters: z.object({}), execute: async () => { running++; peak = Math.max(peak, running); await tick(5); running--; return 1; } });
    const { session, log } = await start([t], { responses: [{ toolCalls: [1, 2, 3].map((i) => ({ callId: `z${i}`, name: 't', arguments: {} })) }] }, { maxConcurrentTools: 0 });
    await session.sendText('go');
    await waitUntil(() => log.of('tool_result').length === 3, 'results');
    expect(peak).toBe(1);
    await session.close();
  });

  it('times out a tool that never answers, aborts it, and answers the model', async () => {
    let aborted = false;
    const hang = defineTool({
      name: 'hang',
      parameters: z.object({}),
      timeoutMs: 30,
      execute: (_a, { signal }) => new Promise(() => signal.addEventListener('abort', () => (aborted = true))),
    });
    const { model, session, log } = await start([hang], { responses: [{ toolCalls: [{ callId: 'h', name: 'hang', arguments: {} }] }] });
    await session.sendText('go');
    const result = await log.waitFor('tool_result');
    expect(result).toMatchObject({ status: 'timedOut', delivered: true, output: { error: { type: 'timeout', message: 'hang did not answer within 30 ms' } } });
    expect(aborted).toBe(true);
    expect(outputsOf(model)).toHaveLength(1);
    await waitUntil(() => responsesRequested(model) === 1, 'follow-up');
    await session.close();
  });

  it('uses the session default timeout for tools without one', async () => {
    const hang = defineTool({ name: 'hang', parameters: z.object({}), execute: () => new Promise(() => {}) });
    const { session, log } = await start([hang], { responses: [{ toolCalls: [{ callId: 'h', name: 'hang', arguments: {} }] }] }, { toolTimeoutMs: 20 });
    await session.sendText('go');
    expect((await log.waitFor('tool_result')).status).toBe('timedOut');
    await session.close();
  });
});

describe('cancellation', () => {
  it('on barge-in, cancelOnInterrupt tools are aborted and answered with a cancellation; others finish and are answered', async () => {
    let abortedCancellable = false;
    const gate = deferred();
    const cancellable = defineTool({
      name: 'search',
      parameters: z.object({}),
      cancelOnInterrupt: true,
      execute: (_a, { signal }) => new Promise((_r, reject) => signal.addEventListener('abort', () => { abortedCancellable = true; reject(new Error('aborted')); })),
    });
    const durable = defineTool({ name: 'book', parameters: z.object({}), execute: async () => { await gate.promise; return { booked: true }; } });
    const { model, session, log } = await start([cancellable, durable], {
      responses: [{ toolCalls: [{ callId: 'c', name: 'search', arguments: {} }, { callId: 'd', name: 'book', arguments: {} }] }],
    });
    await session.sendText('go');
    await waitUntil(() => log.of('tool_call').length === 2 && model.current().intents.length >= 1, 'calls');
    await tick(5);
    await session.interrupt({ playedMs: 120 });
    const cancelled = await log.waitFor('tool_result', (e) => e.callId === 'c');
    expect(cancelled).toMatchObject({ status: 'cancelled', delivered: true, output: { error: { type: 'cancelled' } } });
    expect(abortedCancellable).toBe(true);
    // The response was done and nothing played: only the tools were interrupted, nothing is reported.
    expect(log.of('interrupted')).toEqual([]);
    gate.resolve();
    const booked = await log.waitFor('tool_result', (e) => e.callId === 'd');
    expect(booked).toMatchObject({ status: 'succeeded', delivered: true });
    expect(outputsOf(model).map((o) => o.callId).sort()).toEqual(['c', 'd']);
    expect(model.current().intents.find((i) => i.type === 'client.interrupt')).toEqual({ type: 'client.interrupt', playedMs: 120 });
    await session.close();
  });

  it('a call the provider cancels is aborted and gets no output', async () => {
    let aborted = false;
    const t = defineTool({ name: 'slow', parameters: z.object({}), execute: (_a, { signal }) => new Promise((_r, reject) => signal.addEventListener('abort', () => { aborted = true; reject(new Error('x')); })) });
    const { model, session, log } = await start([t], { responses: [{ toolCalls: [{ callId: 'x1', name: 'slow', arguments: {} }] }] });
    await session.sendText('go');
    await log.waitFor('tool_call');
    await tick(5);
    model.push({ type: 'model.toolCallCancelled', callIds: ['x1', 'unknown'] });
    const result = await log.waitFor('tool_result');
    expect(result).toMatchObject({ callId: 'x1', status: 'cancelled', delivered: false });
    expect(aborted).toBe(true);
    await tick(10);
    expect(outputsOf(model)).toHaveLength(0);
    expect(responsesRequested(model)).toBe(0);
    await session.close();
  });

  it('close answers outstanding calls with a cancellation before closing and aborts them', async () => {
    let aborted = false;
    const t = defineTool({ name: 'slow', parameters: z.object({}), execute: (_a, { signal }) => new Promise(() => signal.addEventListener('abort', () => (aborted = true))) });
    const { model, session, log } = await start([t], { responses: [{ toolCalls: [{ callId: 'k', name: 'slow', arguments: {} }] }] });
    await session.sendText('go');
    await log.waitFor('tool_call');
    await tick(5);
    await session.close();
    const intents = model.current().intents.map((i) => i.type);
    expect(intents.slice(-2)).toEqual(['client.toolOutput', 'client.close']);
    expect(aborted).toBe(true);
  });
});

describe('approval', () => {
  it('waits in awaitingApproval, emits tool_approval_requested, runs once approved', async () => {
    let ran = 0;
    const refund = defineTool({ name: 'refund', parameters: z.object({ amount: z.number() }), needsApproval: true, execute: ({ amount }) => { ran++; return { refunded: amount }; } });
    const { model, session, log } = await start([refund], { responses: [{ toolCalls: [{ callId: 'r', name: 'refund', arguments: { amount: 5 } }] }] });
    await session.sendText('refund me');
    const request = await log.waitFor('tool_approval_requested');
    expect(request).toMatchObject({ callId: 'r', name: 'refund', args: { amount: 5 } });
    expect((session.actor.getSnapshot().children['tool.r']?.getSnapshot() as { value?: unknown } | undefined)?.value).toBe('awaitingApproval');
    await tick(10);
    expect(ran).toBe(0);
    session.approveTool('r');
    expect(await log.waitFor('tool_result')).toMatchObject({ status: 'succeeded', output: { refunded: 5 } });
    expect(outputsOf(model)).toHaveLength(1);
    await session.close();
  });

  it('a rejection sends an error output with the reason; a predicate decides per call', async () => {
    const refund = defineTool({
      name: 'refund',
      parameters: z.object({ amount: z.number() }),
      needsApproval: ({ amount }) => amount > 100,
      execute: ({ amount }) => ({ refunded: amount }),
    });
    const { model, session, log } = await start([refund], {
      responses: [{ toolCalls: [{ callId: 'small', name: 'refund', arguments: { amount: 5 } }, { callId: 'big', name: 'refund', arguments: { amount: 500 } }] }],
    });
    await session.sendText('refunds');
    await log.waitFor('tool_approval_requested');
    expect(log.of('tool_approval_requested').map((e) => e.callId)).toEqual(['big']);
    session.rejectTool('big', 'over the limit');
    await waitUntil(() => log.of('tool_result').length === 2, 'both results');
    const big = outputsOf(model).find((o) => o.callId === 'big')!;
    expect(big.output).toEqual({ error: { type: 'rejected', message: 'Rejected: over the limit' } });
    expect(log.of('tool_result').find((r) => r.callId === 'big')!.status).toBe('rejected');
    expect(log.of('tool_result').find((r) => r.callId === 'small')!.status).toBe('succeeded');
    await session.close();
  });

  it('a decision or barge-in that arrives while a slow approval policy runs is kept, not dropped', async () => {
    const policy = deferred<boolean>();
    let ran = 0;
    const transfer = defineTool({
      name: 'transfer',
      parameters: z.object({ to: z.string() }),
      needsApproval: () => policy.promise,
      cancelOnInterrupt: true,
      execute: ({ to }) => (ran++, { sent: to }),
    });
    const childState = (session: { actor: { getSnapshot(): { children: Record<string, { getSnapshot(): unknown } | undefined> } } }, id: string) =>
      (session.actor.getSnapshot().children[id]?.getSnapshot() as { value?: unknown } | undefined)?.value;

    // Approved on `tool_call`, before the policy has answered: runs without asking again.
    const first = await start([transfer], { responses: [{ toolCalls: [{ callId: 't1', name: 'transfer', arguments: { to: 'bob' } }] }] });
    first.session.on('tool_call', (e) => first.session.approveTool(e.callId));
    await first.session.sendText('pay bob');
    await first.log.waitFor('tool_call');
    expect(childState(first.session, 'tool.t1')).toBe('validating');
    policy.resolve(true);
    expect(await first.log.waitFor('tool_result')).toMatchObject({ callId: 't1', status: 'succeeded', output: { sent: 'bob' } });
    expect(first.log.of('tool_approval_requested')).toHaveLength(0);
    await first.session.close();

    // Rejected early: rejected with the reason once validation ends, never run.
    const slow = deferred<boolean>();
    const guarded = defineTool({ name: 'transfer', parameters: z.object({ to: z.string() }), needsApproval: () => slow.promise, execute: () => (ran++, {}) });
    const second = await start([guarded], { responses: [{ toolCalls: [{ callId: 't2', name: 'transfer', arguments: { to: 'eve' } }] }] });
    second.session.on('tool_call', (e) => second.session.rejectTool(e.callId, 'not today'));
    await second.session.sendText('pay eve');
    await second.log.waitFor('tool_call');
    slow.resolve(true);
    expect(await second.log.waitFor('tool_result')).toMatchObject({ callId: 't2', status: 'rejected', output: { error: { type: 'rejected', message: 'Rejected: not today' } } });
    await second.session.close();

    // Barge-in while validating a cancelOnInterrupt tool: cancelled once validation ends.
    const late = deferred<boolean>();
    const interruptible = defineTool({ name: 'transfer', parameters: z.object({ to: z.string() }), needsApproval: () => late.promise, cancelOnInterrupt: true, execute: () => (ran++, {}) });
    const third = await start([interruptible], { responses: [{ toolCalls: [{ callId: 't3', name: 'transfer', arguments: { to: 'max' } }], holdOpen: true }] });
    await third.session.sendText('pay max');
    await third.log.waitFor('tool_call');
    third.model.push({ type: 'model.interrupted', source: 'user' });
    late.resolve(false);
    expect(await third.log.waitFor('tool_result')).toMatchObject({ callId: 't3', status: 'cancelled' });
    await third.session.close();
    expect(ran).toBe(1);
  });
});

describe('application-run tools', () => {
  it('autoExecuteTools: false emits the call; sendToolResult answers it and the follow-up is requested once', async () => {
    const { model, session, log } = await start([echo], { responses: [{ toolCalls: [{ callId: 'm1', name: 'echo', arguments: { value: 'q' } }] }] }, { autoExecuteTools: false });
    await session.sendText('go');
    const call = await log.waitFor('tool_call');
    expect(call).toEqual({ type: 'tool_call', callId: 'm1', name: 'echo', arguments: '{"value":"q"}' });
    await log.waitFor('response_done');
    expect(Object.keys(session.actor.getSnapshot().children)).toEqual(['model']);
    expect(statePaths(session)).toContain('link.connected.turn.executingTools');
    await session.sendToolResult('m1', { manual: true });
    await waitUntil(() => responsesRequested(model) === 1, 'follow-up');
    expect(outputsOf(model)).toEqual([{ type: 'client.toolOutput', callId: 'm1', name: 'echo', output: { manual: true } }]);
    await session.close();
  });

  it('autoRespondTools: false emits results without sending them or requesting a response', async () => {
    const { model, session, log } = await start([echo], { responses: [{ toolCalls: [{ callId: 'n1', name: 'echo', arguments: { value: 'q' } }] }] }, { autoRespondTools: false });
    await session.sendText('go');
    expect(await log.waitFor('tool_result')).toMatchObject({ status: 'succeeded', delivered: false, output: { echoed: 'q' } });
    await log.waitFor('response_done');
    await tick(10);
    expect(outputsOf(model)).toHaveLength(0);
    expect(responsesRequested(model)).toBe(0);
    expect(statePaths(session)).toContain('link.connected.turn.idle');
    // The held-back result may be sent by the application, once.
    await session.sendToolResult('n1', { echoed: 'q' });
    await waitUntil(() => responsesRequested(model) === 1, 'follow-up');
    await expect(session.sendToolResult('n1', { again: true })).rejects.toMatchObject({ code: 'tool_error' });
    expect(outputsOf(model)).toEqual([{ type: 'client.toolOutput', callId: 'n1', name: 'echo', output: { echoed: 'q' } }]);
    await session.close();
  });

  it('autoRespondTools: false — a held-back result for a call the provider then cancelled is refused', async () => {
    const { model, session, log } = await start([echo], { responses: [{ toolCalls: [{ callId: 'w1', name: 'echo', arguments: { value: 'q' } }] }] }, { autoRespondTools: false });
    await session.sendText('go');
    await log.waitFor('tool_result');
    model.push({ type: 'model.toolCallCancelled', callIds: ['w1'] });
    await expect(session.sendToolResult('w1', { echoed: 'q' })).rejects.toMatchObject({ code: 'tool_error' });
    expect(outputsOf(model)).toEqual([]);
    expect(log.of('tool_result').map((e) => e.delivered)).toEqual([false]);
    await session.close();
  });

  it('a result is refused for a call answered already, unknown, run by a tool actor, or cancelled by the provider', async () => {
    const { model, session, log } = await start([echo], { responses: [{ toolCalls: [{ callId: 'm1', name: 'echo', arguments: { value: 'q' } }, { callId: 'm2', name: 'echo', arguments: { value: 'r' } }] }] }, { autoExecuteTools: false });
    await session.sendText('go');
    await log.waitFor('response_done');
    await session.sendToolResult('m1', { first: true });
    await expect(session.sendToolResult('m1', { second: true })).rejects.toMatchObject({ code: 'tool_error', message: expect.stringContaining('m1') });
    await expect(session.sendToolResult('nobody', {})).rejects.toMatchObject({ code: 'tool_error' });
    model.push({ type: 'model.toolCallCancelled', callIds: ['m2'] });
    await waitUntil(() => log.of('tool_result').some((e) => e.callId === 'm2'), 'the cancellation');
    await expect(session.sendToolResult('m2', {})).rejects.toMatchObject({ code: 'tool_error' });
    // A parent machine talks to the actor directly: the chart refuses the same way, with an error event.
    session.actor.send({ type: 'session.toolResult', callId: 'm1', output: { viaActor: true } });
    expect(log.of('error').at(-1)!.error).toMatchObject({ code: 'tool_error' });
    await tick(10);
    expect(outputsOf(model).map((o) => o.callId)).toEqual(['m1']);
    expect(responsesRequested(model)).toBe(1);
    await session.close();
  });

  it('a result for a call a tool actor is running is refused; the actor answers it', async () => {
    const gate = deferred();
    const slow = defineTool({ name: 'slow', parameters: z.object({}), execute: async () => (await gate.promise, { fromActor: true }) });
    const { model, session, log } = await start([slow], { responses: [{ toolCalls: [{ callId: 's1', name: 'slow', arguments: {} }] }] });
    await session.sendText('go');
    await log.waitFor('tool_call');
    await expect(session.sendToolResult('s1', { fromApp: true })).rejects.toMatchObject({ code: 'tool_error' });
    gate.resolve();
    await log.waitFor('tool_result');
    expect(outputsOf(model)).toEqual([{ type: 'client.toolOutput', callId: 's1', name: 'slow', output: { fromActor: true } }]);
    await session.close();
  });

  it('a call from a connection that dropped cannot be answered on its replacement', async () => {
    const { model, session, log } = await start([echo], { responses: [{ toolCalls: [{ callId: 'd1', name: 'echo', arguments: { value: 'q' } }] }] }, { autoExecuteTools: false });
    await session.sendText('go');
    await log.waitFor('tool_call');
    model.drop(1011, 'server restarted');
    await log.waitFor('session_resumed');
    expect(log.of('tool_result')).toEqual([expect.objectContaining({ callId: 'd1', status: 'cancelled', delivered: false })]);
    await expect(session.sendToolResult('d1', { late: true })).rejects.toMatchObject({ code: 'tool_error' });
    await tick(10);
    expect(model.connections.flatMap((c) => c.intents).filter((i) => i.type === 'client.toolOutput')).toEqual([]);
    await session.close();
  });

  it('a running tool whose connection drops is aborted, and its output never reaches the new connection', async () => {
    let aborted = false;
    const gate = deferred();
    const slow = defineTool({
      name: 'slow',
      parameters: z.object({}),
      execute: async (_a, { signal }) => {
        signal.addEventListener('abort', () => (aborted = true));
        await gate.promise;
        return { late: true };
      },
    });
    const { model, session, log } = await start([slow], { responses: [{ toolCalls: [{ callId: 'x1', name: 'slow', arguments: {} }] }] });
    await session.sendText('go');
    await log.waitFor('tool_call');
    await waitUntil(() => Object.keys(session.actor.getSnapshot().children).includes('tool.x1'), 'the tool actor');
    model.drop(1006, 'lost');
    await log.waitFor('session_resumed');
    expect(aborted).toBe(true);
    expect(Object.keys(session.actor.getSnapshot().children)).toEqual(['model']);
    gate.resolve();
    await tick(10);
    expect(log.of('tool_result')).toEqual([expect.objectContaining({ callId: 'x1', status: 'cancelled', delivered: false })]);
    expect(model.connections.flatMap((c) => c.intents).filter((i) => i.type === 'client.toolOutput')).toEqual([]);
    await session.close();
  });
});

describe('no leaks', () => {
  it('1,000 sequential calls leave no tool children, records or listeners behind', async () => {
    const model = createScriptedModel();
    const session = createRealtimeSession({ model, tools: [echo] });
    await session.connect();
    const listenerCount = () => [...((session.actor as unknown as { eventListeners: Map<string, Set<unknown>> }).eventListeners?.values() ?? [])].reduce((n, s) => n + s.size, 0);
    const before = listenerCount();
    let results = 0;
    session.on('tool_result', () => results++);
    for (let i = 0; i < 1000; i++) {
      model.push({ type: 'model.responseCreated' });
      model.push({ type: 'model.functionCall', callId: `q${i}`, name: 'echo', arguments: '{"value":"v"}' });
      model.push({ type: 'model.responseDone' });
      await waitUntil(() => results === i + 1, `result ${i}`);
      // Answer the follow-up request so the next turn starts from idle.
      model.push({ type: 'model.responseCreated' });
      model.push({ type: 'model.responseDone' });
    }
    const snapshot = session.actor.getSnapshot();
    expect(Object.keys(snapshot.children)).toEqual(['model']);
    expect(snapshot.context.toolCalls).toEqual({});
    expect(snapshot.context.runningTools).toEqual([]);
    expect(snapshot.context.toolQueue).toEqual([]);
    expect(listenerCount()).toBe(before);
    expect(model.current().intents.filter((i) => i.type === 'client.toolOutput')).toHaveLength(1000);
    await session.close();
  }, 30_000);
});
