/** What the history tests on both providers share: the tool the emulator's brain calls, and a one-line outline of each item. */
import { z } from 'zod';
import { defineTool, type HistoryItem } from '../../index.js';

export const weather = defineTool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, sky: 'sunny' }),
});

/** `role/source: text` for a message, `tool name status output` for a call. */
export const outline = (items: readonly HistoryItem[]) =>
  items.map((i) => (i.type === 'message' ? `${i.role}/${i.source}: ${i.text}` : `tool ${i.name} ${i.status} ${i.output}`));
