/**
 * The audio hot path, measured: what one 20 ms frame costs on each way through voxstate, against
 * the alternative the design rejected (one statechart event per frame).
 *
 *   npx tsx bench/audio-path.ts
 *
 * Reports the median of 5 runs of N frames each (CPU time per frame, µs). Not a test: numbers vary
 * by machine; docs/architecture.md quotes a run.
 */
import { createActor, emit, setup } from 'xstate';
import { AudioPlane } from '../adapters/audio-plane.js';
import { createInbound, newConnectionState } from '../adapters/openai/inbound.js';
import { ConversationHistory } from '../adapters/openai/history.js';
import { silentLogger } from '../logger.js';

const N = 50_000;
const FRAME = Buffer.alloc(960, 7); // 20 ms of PCM16 at 24 kHz
const B64 = FRAME.toString('base64');

function measure(name: string, run: () => void): void {
  const samples: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / N);
  }
  samples.sort((a, b) => a - b);
  console.log(`${name.padEnd(58)} ${samples[2]!.toFixed(2).padStart(7)} µs/frame`);
}

// 1. Model → application, OpenAI: JSON text frame → Buffer → audio plane → listener.
{
  const plane = new AudioPlane();
  let bytes = 0;
  plane.onOutput((e) => {
    if (e.type === 'audio') bytes += e.audio.length;
  });
  const state = newConnectionState();
  state.responseActive = true;
  state.responseId = 'resp_1';
  state.audioStarted = true;
  const handle = createInbound(state, {
    emit: () => {},
    deliver: (e) => plane.deliver(e),
    history: new ConversationHistory(),
    logger: silentLogger,
    redact: (t) => t,
    speechInterrupts: () => true,
    transcribesInput: () => false,
    onSessionCreated: () => {},
    onInitialUpdate: () => {},
  });
  const frame = JSON.stringify({
    type: 'response.output_audio.delta',
    event_id: 'event_1',
    response_id: 'resp_1',
    item_id: 'item_1',
    output_index: 0,
    content_index: 0,
    delta: B64,
    obfuscation: 'abc',
  });
  measure('openai output frame → plane → listener (incl. JSON.parse)', () => {
    for (let i = 0; i < N; i++) handle(frame);
  });
  if (bytes === 0) throw new Error('no audio delivered');
}

// 2. Application → model: sendAudio through the plane to an attached sink.
{
  const plane = new AudioPlane();
  let sent = 0;
  plane.attach({ sendAudio: (pcm) => (sent += pcm.length) }, 1);
  measure('user frame → plane → adapter sink', () => {
    for (let i = 0; i < N; i++) plane.sendUserAudio(FRAME, 24_000);
  });
  if (sent === 0) throw new Error('no audio sent');
}

// 3. The rejected alternative: one statechart event per frame, emitted to a listener.
{
  const machine = setup({
    types: { events: {} as { type: 'audio'; audio: Buffer }, emitted: {} as { type: 'audio'; audio: Buffer } },
    actions: { emitAudio: emit(({ event }) => ({ type: 'audio' as const, audio: event.audio })) },
  }).createMachine({ on: { audio: { actions: 'emitAudio' } } });
  const actor = createActor(machine).start();
  let got = 0;
  actor.on('audio', () => got++);
  measure('same frame as a statechart event + emit (not used)', () => {
    for (let i = 0; i < N; i++) actor.send({ type: 'audio', audio: FRAME });
  });
  if (got === 0) throw new Error('no events');
}
