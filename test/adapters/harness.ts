/**
 * Drives one model adapter the way the session does (invoked as the `model` child), without the
 * session machine: records every event the adapter sends back and every data-plane event, and
 * lets a test send client intents. For adapter and emulator tests.
 */
import { assign, createActor, sendTo, setup, type AnyEventObject } from 'xstate';
import { AudioPlane } from '../../adapters/audio-plane.js';
import type { AdapterInput, ConnectReason, ModelAdapter } from '../../adapters/adapter.js';
import type { ClientIntentInput, DataEvent, ModelEvent } from '../../adapters/events.js';
import { ClientIntentSchema, toModelEvent } from '../../adapters/events.js';
import { parseSessionConfig, type SessionConfigInput } from '../../config.js';
import { silentLogger } from '../../logger.js';

export interface HarnessOptions {
  config?: SessionConfigInput;
  resumptionHandle?: string;
  connectionId?: number;
  reason?: ConnectReason;
  audio?: AudioPlane;
}

export function startAdapter(adapter: ModelAdapter, options: HarnessOptions = {}) {
  const events: ModelEvent[] = [];
  const data: DataEvent[] = [];
  const audio = options.audio ?? new AudioPlane();
  audio.onOutput((e) => data.push(e));
  const input: AdapterInput = {
    config: parseSessionConfig(options.config ?? {}),
    resumptionHandle: options.resumptionHandle,
    connectionId: options.connectionId ?? 1,
    reason: options.reason ?? 'initial',
    audio,
    logger: silentLogger,
  };
  const harness = setup({
    types: { events: {} as AnyEventObject, context: {} as { n: number } },
    actors: { model: adapter.logic },
    actions: {
      record: ({ event }) => {
        events.push(toModelEvent(event));
      },
      forward: sendTo('model', ({ event }) => (event as unknown as { intent: never }).intent),
      count: assign({ n: ({ context }) => context.n + 1 }),
    },
  }).createMachine({
    context: { n: 0 },
    invoke: { id: 'model', src: 'model', input },
    on: {
      'harness.send': { actions: 'forward' },
      '*': { actions: 'record' },
    },
  });
  const actor = createActor(harness);
  actor.start();

  async function waitForEvent<T extends ModelEvent['type']>(
    type: T,
    predicate: (e: Extract<ModelEvent, { type: T }>) => boolean = () => true,
    timeoutMs = 8000,
  ): Promise<Extract<ModelEvent, { type: T }>> {
    const started = Date.now();
    for (;;) {
      const found = events.find((e): e is Extract<ModelEvent, { type: T }> => e.type === type && predicate(e as Extract<ModelEvent, { type: T }>));
      if (found) return found;
      if (Date.now() - started > timeoutMs) {
        throw new Error(`timed out waiting for ${type}; saw ${events.map((e) => e.type).join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  return {
    events,
    data,
    audio,
    input,
    send(intent: ClientIntentInput) {
      actor.send({ type: 'harness.send', intent: ClientIntentSchema.parse(intent) });
    },
    waitForEvent,
    stop() {
      actor.stop();
    },
  };
}
