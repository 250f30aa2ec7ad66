/**
 * The session model: scenarios (tools, options, stimuli), path generation over the real session
 * machine, and the replay of one path on the real runtime. Used by session.test.ts.
 */
import { expect } from 'vitest';
import { SimulatedClock, createActor, type AnyEventObject, type AnyMachineSnapshot } from 'xstate';
import { z } from 'zod';
import { createSessionLogic, defineTool, realtimeSessionMachine, type SessionLogicOptions } from '../../index.js';
import { createScriptedModel, type ScriptedModelOptions } from '../../testing.js';
import {
  ToolGates,
  createSessionDriver,
  createTransitionCoverage,
  serializeSessionState,
  sessionInvariants,
  sessionStimuli,
  type ModelTool,
  type SessionStimuliOptions,
} from '../../testing.js';
import { boundedSimplePaths, describePath, replay, shortestPlusEdges, type Path } from './paths.js';
import { callAnswerViolations, requestTraceViolations, sessionPropertyViolations, type IssuedRequest } from './properties.js';
import type { SessionEmitted } from '../../machines/session/types.js';
import type { AudioPlane } from '../../adapters/audio-plane.js';
import { createResponseWire, resumeWhileOpenViolations } from './wire-properties.js';

export const coverage = createTransitionCoverage(realtimeSessionMachine);

export interface Scenario {
  name: string;
  tools: ModelTool[];
  stimuli?: SessionStimuliOptions;
  session?: Partial<SessionLogicOptions>;
  model?: ScriptedModelOptions;
  /** Start the traversal after these events (from the initial state). */
  prefix?: AnyEventObject[];
  paths: 'shortest+edges' | 'simple';
  maxPaths?: number;
  maxSteps?: number;
  /**
   * The last answer is still playing (audio is off the chart, so the playback tracker is stubbed):
   * an interruption or a server-VAD barge-in after its `response.done` has something to cut.
   */
  playingAudio?: boolean;
}

function setupRuntime(scenario: Scenario) {
  const model = createScriptedModel({
    autoRespond: false,
    connectDelayMs: 1e9, // the path decides when (and whether) a connection comes up
    change: { instructions: 'resumption', temperature: 'inPlace' },
    ...scenario.model,
  });
  const gates = new ToolGates();
  const tools = scenario.tools.map((t) =>
    defineTool({
      name: t.name,
      description: t.name,
      parameters: z.object({}),
      needsApproval: t.approval ?? false,
      behavior: t.background ? 'background' : 'blocking',
      execute: (_args, ctx) => gates.wait(ctx.callId),
    }),
  );
  const { logic, input } = createSessionLogic({
    model,
    tools,
    instructions: 'A',
    maxResumeAttempts: 2,
    toolTimeoutMs: 1e9, // tool timeouts belong to the tool machine's suite
    ...scenario.session,
  });
  if (scenario.playingAudio) {
    const playback = (input.audio as AudioPlane).playback;
    playback.hasUnheard = () => true;
    playback.cut = () => [];
  }
  return { model, gates, logic, input };
}

export function pathsFor(scenario: Scenario): Path[] {
  const { input } = setupRuntime(scenario);
  const events = (s: AnyMachineSnapshot) => sessionStimuli(s, { tools: scenario.tools, ...scenario.stimuli });
  let fromState: AnyMachineSnapshot | undefined;
  let prefixSteps: Path['steps'] = [];
  if (scenario.prefix) {
    // Replayed by the traversal's own transition function (a mock actor scope: no side effects).
    const head = replay(realtimeSessionMachine, input, scenario.prefix);
    prefixSteps = head.steps;
    fromState = head.state;
  }
  const options = { input, events, serializeState: serializeSessionState, ...(fromState ? { fromState } : {}) };
  let paths: Path[];
  if (scenario.paths === 'shortest+edges') {
    paths = shortestPlusEdges(realtimeSessionMachine, options).paths;
  } else {
    paths = boundedSimplePaths(realtimeSessionMachine, options, scenario.maxSteps ?? 8, 4_000);
  }
  if (prefixSteps.length) paths = paths.map((p) => ({ ...p, steps: [...prefixSteps, ...p.steps.slice(1)] }));
  if (scenario.paths === 'simple') paths = paths.filter((p) => p.steps.length > prefixSteps.length);
  paths.sort((a, b) => describePath(a).localeCompare(describePath(b)));
  return scenario.maxPaths ? spread(paths, scenario.maxPaths) : paths;
}

/** At most `n` paths, spread evenly over the sorted list (deterministic). */
function spread<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!);
}

export async function runPath(scenario: Scenario, path: Path): Promise<void> {
  const { model, gates, logic, input } = setupRuntime(scenario);
  coverage.track(logic);
  const clock = new SimulatedClock();
  const actor = createActor(logic, { input, clock, inspect: coverage.inspect });
  let actorError: unknown;
  actor.subscribe({ error: (e) => (actorError = e) });
  actor.start();
  const driver = createSessionDriver({ actor, model, clock, gates });
  const emitted: SessionEmitted[] = [];
  actor.on('*', (e) => emitted.push(e as SessionEmitted));
  const issued: IssuedRequest[] = [];
  const wire = createResponseWire(model, input.capabilities.needsFollowUpResponse);
  // The path's states are representatives of abstract states (serializeSessionState merges, e.g.,
  // one and two deferred updates); the exact expectation is the model replaying the same events.
  const expected = replay(realtimeSessionMachine, input, path.steps.slice(1).map((s) => s.event)).steps;
  try {
    for (const [i, step] of path.steps.entries()) {
      // Each request that asks for a reply gets its own id, so its fate can be followed.
      const event = typeof step.event['requestId'] === 'string' && step.event['requestId'] === 'ask' ? { ...step.event, requestId: `ask_${i}` } : step.event;
      if (event !== step.event) issued.push({ requestId: event['requestId'], live: actor.getSnapshot().hasTag('live') });
      const delivered = event.type.startsWith('model.') && model.connections.some((c) => c.open);
      await driver.exec(event);
      expect(wire.step(event, delivered), `wire after step ${i}: ${step.event.type}`).toEqual([]);
      expect(resumeWhileOpenViolations(model), `sockets after step ${i}: ${step.event.type}`).toEqual([]);
      if (actorError) throw new Error(`the session actor failed at step ${i} (${step.event.type}): ${String(actorError)}`);
      expect(sessionInvariants(actor.getSnapshot()), `after step ${i}: ${step.event.type}`).toEqual(sessionInvariants(expected[i]!.state));
      expect(sessionPropertyViolations(actor.getSnapshot()), `properties after step ${i}: ${step.event.type}`).toEqual([]);
      expect(requestTraceViolations(issued, emitted, actor.getSnapshot()), `requests after step ${i}: ${step.event.type}`).toEqual([]);
      expect(callAnswerViolations(emitted, model.connections, actor.getSnapshot()), `tool calls after step ${i}: ${step.event.type}`).toEqual([]);
    }
  } finally {
    actor.stop();
  }
}

export const scenarios: Scenario[] = [
  {
    // Everything the outside world can do, one plain tool at a time.
    name: 'all stimuli, one actor-run tool',
    tools: [{ name: 'work' }],
    stimuli: { maxOutstandingTools: 1 },
    paths: 'shortest+edges',
  },
  {
    // Approval and concurrency: two tools, one of which asks first, from a connected session.
    name: 'approval and two concurrent tools',
    tools: [{ name: 'work' }, { name: 'guarded', approval: true }],
    stimuli: { only: ['model.functionCall', 'model.responseCreated', 'model.responseDone', 'tool.ready', 'xstate.done.actor.*', 'session.createResponse', 'model.interrupted'] },
    prefix: [{ type: 'session.connect' }, { type: 'model.connected', restored: false }],
    paths: 'simple',
    maxSteps: 8,
    maxPaths: 120,
  },
  {
    // The application runs the tools itself (autoExecuteTools: false); no automatic reconnects.
    name: 'application-run tools, no auto-reconnect',
    tools: [{ name: 'work' }],
    session: { autoExecuteTools: false, autoReconnect: false },
    stimuli: { maxOutstandingTools: 1, exclude: ['session.sendAudio', 'session.clearAudio', 'session.commitAudio', 'model.speech*', 'model.usage', 'model.error'] },
    paths: 'shortest+edges',
    maxPaths: 150,
  },
  {
    // A provider that answers messages by itself (no explicit response requests, like Gemini):
    // requests go on the wire at once, and the response that answers them is the next one.
    name: 'requests on a provider that answers by itself',
    tools: [],
    model: { needsFollowUpResponse: false },
    stimuli: { only: ['session.sendText', 'session.createResponse', 'model.responseCreated', 'model.responseDone', 'session.update', 'session.close', 'model.closed'] },
    prefix: [{ type: 'session.connect' }, { type: 'model.connected', restored: false }],
    paths: 'simple',
    maxSteps: 6,
    maxPaths: 150,
  },
  {
    // A provider that names the request each response answers (OpenAI's response.metadata): a
    // response the server started by itself answers none, and a refused request goes back to the
    // head of the queue (a response was running) or fails at once.
    name: 'requests on a provider that names the request a response answers',
    tools: [],
    model: { correlatesResponses: true },
    stimuli: { only: ['session.sendText', 'session.createResponse', 'model.responseCreated', 'model.responseDone', 'model.requestRefused', 'session.close'] },
    prefix: [{ type: 'session.connect' }, { type: 'model.connected', restored: false }],
    paths: 'simple',
    maxSteps: 6,
    maxPaths: 150,
  },
  {
    // The last answer still plays after its response.done (audio arrives faster than real time):
    // interrupt() and a server-VAD barge-in cut it (and report `interrupted`) with nothing to cancel.
    name: 'barge-in while the last answer still plays',
    tools: [],
    playingAudio: true,
    stimuli: { only: ['session.interrupt', 'model.speechStarted', 'model.speechStopped', 'session.createResponse', 'model.responseCreated', 'model.responseDone'] },
    prefix: [{ type: 'session.connect' }, { type: 'model.connected', restored: false }],
    // Every edge, self-loops included (an interruption with nothing to cancel leaves the state as it was).
    paths: 'shortest+edges',
    maxPaths: 120,
  },
  {
    // Background tool calls (issue 13 item 3): they do not hold the turn, a queued swap waits for
    // them at most backgroundCallSwapWaitMs, and they outlive the connection that issued them.
    name: 'background tool calls',
    tools: [{ name: 'watch', background: true }, { name: 'work' }],
    session: { backgroundCallSwapWaitMs: 1_000 },
    stimuli: {
      only: ['model.functionCall', 'tool.ready', 'xstate.done.actor.*', 'xstate.after.*', 'session.update', 'model.responseCreated', 'model.responseDone', 'model.connected', 'model.closed'],
    },
    prefix: [{ type: 'session.connect' }, { type: 'model.connected', restored: false }],
    paths: 'simple',
    maxSteps: 7,
    maxPaths: 150,
  },
  {
    // A provider that speaks a delivered background result by itself (Gemini): the result owes a
    // response no caller asked for; the turn waits for it (bounded by responseStartTimeout) and
    // queued requests go out only once it is done.
    name: 'background results the server speaks by itself',
    tools: [{ name: 'watch', background: true }],
    model: { needsFollowUpResponse: false, speaksBackgroundResults: true },
    stimuli: { only: ['model.functionCall', 'tool.ready', 'xstate.done.actor.*', 'xstate.after.*', 'session.sendText', 'model.responseCreated', 'model.responseDone'], maxOutstandingTools: 1 },
    prefix: [{ type: 'session.connect' }, { type: 'model.connected', restored: false }],
    // Five steps reach the owed response's start, end and timeout; more would call `watch1` again
    // after it settled (the stimuli reuse the freed id, which the replay's mock scope cannot send to).
    paths: 'simple',
    maxSteps: 5,
    maxPaths: 120,
  },
  {
    // The follow-up after tool outputs is a request like any other on a provider that names the
    // request a response answers: refused while a response runs (server VAD started one), it is
    // dropped, since that response reads the outputs; refused otherwise, the turn is free at once.
    name: 'the follow-up after tool outputs, refused',
    tools: [{ name: 'work' }],
    model: { correlatesResponses: true },
    stimuli: { only: ['model.functionCall', 'tool.ready', 'xstate.done.actor.*', 'model.responseCreated', 'model.responseDone', 'model.requestRefused'], maxOutstandingTools: 1 },
    prefix: [{ type: 'session.connect' }, { type: 'model.connected', restored: false }],
    paths: 'simple',
    maxSteps: 5,
    maxPaths: 120,
  },
  {
    // Server VAD that does not create responses (createResponse: false): when the user stops
    // speaking the floor is open at once (the application asks for the response itself).
    name: 'the floor without server-created responses',
    tools: [],
    session: { turnDetection: { type: 'server_vad', createResponse: false } },
    stimuli: { only: ['model.speechStarted', 'model.speechStopped', 'session.sendText', 'session.update', 'model.responseCreated', 'model.responseDone'] },
    prefix: [{ type: 'session.connect' }, { type: 'model.connected', restored: false }],
    paths: 'simple',
    maxSteps: 5,
    maxPaths: 80,
  },
  {
    // Sessions embedded in a parent machine connect by themselves.
    name: 'autoConnect',
    tools: [],
    session: { autoConnect: true },
    stimuli: { only: ['model.connected', 'model.connectFailed', 'session.close', 'model.closed'] },
    paths: 'shortest+edges',
  },
];

