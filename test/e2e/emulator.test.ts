/**
 * `voxstate emulator` as a separate process: it prints its URLs (port 0 → the real port), answers
 * a whole tool-call session from the official `@openai/agents-realtime` client, and stops cleanly
 * on SIGTERM.
 */
import { RealtimeAgent, RealtimeSession, tool, type RealtimeItem } from '@openai/agents-realtime';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { finish, killAll, start, CLI, waitForOutput } from './processes.js';

let session: RealtimeSession | undefined;
afterEach(() => {
  session?.close();
  session = undefined;
  killAll();
});

const spokenAnswers = (items: RealtimeItem[]): string[] =>
  items.flatMap((item) =>
    item.type === 'message' && item.role === 'assistant'
      ? item.content.map((c) => ('transcript' in c && c.transcript) || ('text' in c && c.text) || '').filter(Boolean)
      : [],
  );

describe('voxstate emulator', () => {
  it('serves @openai/agents-realtime on the printed URL, then stops on SIGTERM', async () => {
    const child = start(CLI, ['emulator', '--port', '0', '--speed', '20']);
    const [, url] = (await waitForOutput(child, /openai\s+(ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime\?model=gpt-realtime-2\.1)\n/))!;
    expect(url).not.toMatch(/:0\//);

    const cities: string[] = [];
    const getWeather = tool({
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        cities.push(city);
        return { sky: 'sunny', city };
      },
    });
    session = new RealtimeSession(new RealtimeAgent({ name: 'Assistant', instructions: 'Be brief.', tools: [getWeather] }), {
      transport: 'websocket',
      model: 'gpt-realtime',
    });
    const answered = new Promise<RealtimeItem[]>((resolve) => {
      session!.on('history_updated', (items) => {
        if (spokenAnswers(items).some((t) => t.startsWith('Here is what I found'))) resolve(items);
      });
    });
    await session.connect({ apiKey: 'sk-any-key', url: url! });
    session.sendMessage('What is the weather in Paris?');
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no spoken answer')), 8_000));
    const items = await Promise.race([answered, timeout]);
    expect(cities).toEqual(['Paris']);
    expect(spokenAnswers(items).pop()).toContain('get weather says sky sunny, city Paris');

    session.close();
    session = undefined;
    const exited = finish(child, 5_000);
    child.kill('SIGTERM');
    const result = await exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('emulator stopped');
  }, 20_000);
});
