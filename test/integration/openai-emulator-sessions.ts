/**
 * A session through the public API on the emulator's OpenAI side, with what the tests read back:
 * the event log, the frames each way (per connection), and the audio received per item. Sessions
 * and the emulator are closed after each test (the `afterEach` is registered by the call).
 */
import { afterEach } from 'vitest';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../emulator/index.js';
import { createRealtimeSession, type RealtimeSession, type RealtimeSessionOptions } from '../../index.js';
import { record } from '../session/event-log.js';

export function openaiEmulatorSessions(apiKey: string) {
  let emulator: Emulator | undefined;
  const sessions: RealtimeSession[] = [];
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.close();
    await emulator?.close();
    emulator = undefined;
  });

  /** Starts the emulator (closed after the test). */
  const start = async (options: StartEmulatorOptions): Promise<Emulator> => (emulator = await startEmulator(options));
  /** Closes the session after the test. */
  const track = <S extends RealtimeSession>(session: S): S => (sessions.push(session), session);
  /** The emulator of this test (started by `start` or `open`). */
  const current = (): Emulator => {
    if (!emulator) throw new Error('no emulator started in this test');
    return emulator;
  };

  async function open(options: StartEmulatorOptions, sessionOptions: Partial<RealtimeSessionOptions> = {}) {
    const emu = await start(options);
    const session = track(createRealtimeSession({ model: openaiRealtime({ apiKey, url: emu.openaiUrl }), ...sessionOptions }));
    const log = record(session);
    await session.connect();
    const frames = (direction: 'in' | 'out', type: string, connection?: number) =>
      emu.context.log.entries
        .filter((e) => e.direction === direction && e.protocol === 'openai' && (connection === undefined || e.connection === connection))
        .map((e) => e.frame as Record<string, unknown>)
        .filter((f) => f['type'] === type);
    /** Milliseconds of audio the application received per item. */
    const receivedMs = (itemId: string) =>
      log.of('audio').filter((a) => a.itemId === itemId).reduce((n, a) => n + a.audio.length / 2 / (a.sampleRate / 1000), 0);
    return { session, log, inbound: (type: string, c?: number) => frames('in', type, c), outbound: (type: string, c?: number) => frames('out', type, c), receivedMs };
  }

  return { open, start, track, emulator: current };
}
