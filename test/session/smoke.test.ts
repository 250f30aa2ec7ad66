import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRealtimeSession, defineTool } from '../../index.js';
import { createScriptedModel } from '../../testing.js';

describe('smoke', () => {
  it('connects, runs a tool turn, and closes', async () => {
    const model = createScriptedModel({
      responses: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        { audio: [Buffer.alloc(480)], transcript: 'It is sunny in Paris.' },
      ],
    });
    const weather = defineTool({
      name: 'get_weather',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => ({ city, sky: 'sunny' }),
    });
    const session = createRealtimeSession({ model, instructions: 'be brief', tools: [weather] });
    const seen: string[] = [];
    session.on('*', (e) => seen.push(e.type));
    await session.connect();
    await session.sendText('weather in Paris?');
    await new Promise((r) => setTimeout(r, 50));
    console.log(seen.join(' '));
    console.log(JSON.stringify(model.current().intents));
    await session.close();
    console.log(session.state);
    expect(seen).toContain('tool_result');
  });
});
