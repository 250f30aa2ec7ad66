/**
 * Gemini ephemeral tokens (issue 13, item 6): a server mints one with `mintGeminiToken` (`POST
 * /v1alpha/auth_tokens`, against the emulator's REST route), a session connects with it on the
 * `BidiGenerateContentConstrained` method (`access_token`), and resumes under a single-use token
 * (a resume is not a use), while a second new session on that token is refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeSession, type RealtimeSession } from '../../index.js';
import { mintGeminiToken } from '../../adapters/gemini/index.js';
import { redactSecrets } from '../../errors.js';
import { record } from '../session/event-log.js';
import { API_KEY, adapterFor, clientFrames, useGeminiFixture } from './fixture.js';

const fx = useGeminiFixture();
type Json = Record<string, any>;
const sessions: RealtimeSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});
const open = (token: string, emu: Parameters<typeof adapterFor>[0]) => {
  const session = createRealtimeSession({ model: adapterFor(emu, { apiKey: token }), instructions: 'Be brief.' });
  sessions.push(session);
  return session;
};

describe('gemini ephemeral tokens', () => {
  it('mints a token with the documented request and connects with it on the Constrained method', async () => {
    // The emulator requires the real key on the key method: only the token method can let the session in.
    const emu = await fx.emulator({ gemini: { apiKey: API_KEY } });
    const requests: Array<{ url: string; headers: Record<string, string>; body: Json }> = [];
    const recordingFetch: typeof fetch = async (url, init) => {
      requests.push({ url: String(url), headers: init?.headers as Record<string, string>, body: JSON.parse(String(init?.body)) });
      return fetch(url, init);
    };
    const expireTime = new Date(Date.now() + 10 * 60_000);
    const { token } = await mintGeminiToken({
      apiKey: API_KEY,
      uses: 2,
      expireTime,
      newSessionExpireTime: new Date(Date.now() + 60_000),
      liveConnectConstraints: { model: 'models/gemini-3.8-live', generationConfig: { responseModalities: ['AUDIO'] } },
      baseUrl: emu.httpUrl,
      fetch: recordingFetch,
    });
    expect(token).toMatch(/^auth_tokens\//);
    expect(requests[0]!.url).toBe(`${emu.httpUrl}/v1alpha/auth_tokens`);
    expect(requests[0]!.headers['x-goog-api-key']).toBe(API_KEY);
    expect(requests[0]!.body).toMatchObject({
      uses: 2,
      expireTime: expireTime.toISOString(),
      bidiGenerateContentSetup: { model: 'models/gemini-3.8-live' },
    });

    const session = open(token, emu);
    const log = record(session);
    await session.connect();
    await session.sendText('hello');
    await log.waitFor('response_done');
    expect(clientFrames(emu, 'setup')).toHaveLength(1);
  });

  it('a single-use token: the session resumes on it (not a use); a second new session is refused', async () => {
    const emu = await fx.emulator({ gemini: { apiKey: API_KEY } });
    const { token } = await mintGeminiToken({ apiKey: API_KEY, uses: 1, baseUrl: emu.httpUrl });
    const session = open(token, emu);
    const log = record(session);
    await session.connect();
    await session.sendText('hello');
    await log.waitFor('response_done');
    expect(await session.updateSession({ instructions: 'You handle billing now.' })).toBe('resumed');
    const resumed = await log.waitFor('session_resumed');
    expect(resumed).toMatchObject({ reason: 'mutation', restored: true });
    expect((clientFrames(emu, 'setup')[1]!['setup'] as Json)['sessionResumption']?.handle).toMatch(/^gh_/);

    const second = open(token, emu);
    const error = await second.connect().then(() => undefined, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toContain('no uses left');
    expect(error!.message).not.toContain(token.slice('auth_tokens/'.length));
  });

  it('a token past its newSessionExpireTime starts no session', async () => {
    const emu = await fx.emulator();
    const { token } = await mintGeminiToken({ apiKey: API_KEY, newSessionExpireTime: new Date(Date.now() - 1000), baseUrl: emu.httpUrl });
    const error = await open(token, emu).connect().then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toContain('no longer accepts new sessions');
  });

  it('minting with a wrong key fails with the HTTP status and without the key', async () => {
    const emu = await fx.emulator({ gemini: { apiKey: API_KEY } });
    const wrong = 'AIzaSyWRONG-key-0123456789abcdefghij';
    const error = await mintGeminiToken({ apiKey: wrong, baseUrl: emu.httpUrl }).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toContain('HTTP 401');
    expect(error?.message).not.toContain(wrong);
  });

  it('a token is redacted from text headed for logs and errors', () => {
    const text = 'refused auth_tokens/0123456789abcdef and ?access_token=auth_tokens%2F0123456789abcdef';
    expect(redactSecrets(text)).not.toContain('0123456789abcdef');
  });
});
