/**
 * Vertex AI has no ephemeral tokens (gemini-live-2026.md §6, §7): an `auth_tokens/…` credential
 * given as `vertex.accessToken` is a config error naming the option, never sent as a Bearer token.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { geminiLive } from '../../adapters/gemini/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createRealtimeSession, silentLogger } from '../../index.js';
import { refusal } from '../adapters/config-refusal.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('gemini: an ephemeral token on Vertex', () => {
  it('is refused when the adapter is created (a string), naming vertex.accessToken and not the token', () => {
    const error = refusal(() => geminiLive({ vertex: { project: 'p', location: 'us-central1', accessToken: 'auth_tokens/abc123secret' } }));
    expect(error).toMatchObject({ code: 'invalid_config', field: 'vertex.accessToken' });
    expect(error.message).toMatch(/Vertex AI has no ephemeral tokens/);
    expect(error.message).not.toContain('abc123secret');
  });

  it('fails the connection with invalid_config when the token function returns one; nothing reaches the server', async () => {
    emulator = await startEmulator();
    const session = createRealtimeSession({
      model: geminiLive({ url: emulator.geminiUrl, vertex: { project: 'p', location: 'us-central1', accessToken: async () => 'auth_tokens/abc123secret' } }),
      logger: silentLogger,
    });
    const error = await session.connect().then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_config', param: 'vertex.accessToken' });
    expect(String((error as Error).message)).not.toContain('abc123secret');
    await session.close();
    expect(emulator.context.log.entries).toEqual([]);
  });

  it('a Vertex OAuth access token is still accepted', () => {
    expect(() => geminiLive({ vertex: { project: 'p', location: 'us-central1', accessToken: 'ya29.token' } })).not.toThrow();
  });
});
