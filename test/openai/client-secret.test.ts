/**
 * OpenAI client secrets (issue 13, item 6): a server mints one with `mintOpenAIClientSecret`
 * (`POST /v1/realtime/client_secrets`, against the emulator's REST route), and a session connects
 * with the `ek_…` value as its Bearer credential; a secret the service did not mint is refused and
 * never appears in the error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeSession, type RealtimeSession } from '../../index.js';
import { mintOpenAIClientSecret, openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { record } from '../session/event-log.js';
import { TEST_KEY } from './fixture.js';

let emu: Emulator | undefined;
const sessions: RealtimeSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await emu?.close();
  emu = undefined;
});
const open = (secret: string, running: Emulator) => {
  const session = createRealtimeSession({ model: openaiRealtime({ apiKey: secret, url: running.openaiUrl }), instructions: 'Be brief.' });
  sessions.push(session);
  return session;
};

describe('openai client secrets', () => {
  it('mints an ek_ secret with the documented request; a session connects with it as Bearer', async () => {
    // The emulator requires the real key: only a secret it minted lets another credential in.
    emu = await startEmulator({ openai: { apiKey: TEST_KEY } });
    const requests: Array<{ url: string; headers: Record<string, string>; body: Record<string, any> }> = [];
    const recordingFetch: typeof fetch = async (url, init) => {
      requests.push({ url: String(url), headers: init?.headers as Record<string, string>, body: JSON.parse(String(init?.body)) });
      return fetch(url, init);
    };
    const before = Math.floor(Date.now() / 1000);
    const secret = await mintOpenAIClientSecret({
      apiKey: TEST_KEY,
      session: { type: 'realtime', model: 'gpt-realtime' },
      expiresAfterSeconds: 60,
      baseUrl: `${emu.httpUrl}/v1`,
      fetch: recordingFetch,
    });
    expect(requests[0]).toMatchObject({
      url: `${emu.httpUrl}/v1/realtime/client_secrets`,
      headers: { authorization: `Bearer ${TEST_KEY}` },
      body: { expires_after: { anchor: 'created_at', seconds: 60 }, session: { type: 'realtime', model: 'gpt-realtime' } },
    });
    expect(secret.value).toMatch(/^ek_/);
    expect(secret.expiresAt).toBeGreaterThanOrEqual(before + 60);
    expect(secret.session).toMatchObject({ type: 'realtime', model: 'gpt-realtime' });

    const session = open(secret.value, emu);
    const log = record(session);
    await session.connect();
    await session.sendText('hello');
    await log.waitFor('response_done');
    // One secret may create several sessions until it expires.
    await open(secret.value, emu).connect();
  });

  it('a secret the service did not mint is refused, and the error does not carry it', async () => {
    emu = await startEmulator();
    const forged = 'ek_0123456789abcdef0123456789abcdef';
    const session = open(forged, emu);
    const errors = record(session);
    const error = await session.connect().then(() => undefined, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toContain('401');
    expect(error!.message).not.toContain(forged);
    expect(JSON.stringify(errors.events)).not.toContain(forged);
  });

  it('minting with a wrong key or an out-of-range expiry fails with the HTTP status, without the key', async () => {
    emu = await startEmulator({ openai: { apiKey: TEST_KEY } });
    const wrong = 'sk-wrong-0123456789abcdef';
    const refused = await mintOpenAIClientSecret({ apiKey: wrong, baseUrl: `${emu.httpUrl}/v1` }).then(() => undefined, (e: unknown) => e as Error);
    expect(refused?.message).toContain('HTTP 401');
    expect(refused?.message).not.toContain(wrong);
    const invalid = await mintOpenAIClientSecret({ apiKey: TEST_KEY, expiresAfterSeconds: 5, baseUrl: `${emu.httpUrl}/v1` }).then(() => undefined, (e: unknown) => e as Error);
    expect(invalid?.message).toContain('HTTP 400');
  });
});
