/**
 * The demo tools (`--tools demo`): canned data, no network. `book_table` needs approval so the
 * approval path shows up in the timeline; the CLI approves it itself and says so.
 */
import { z } from 'zod';
import { defineTool, type AnyToolDefinition } from '../index.js';

export const getWeather = defineTool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string().describe('City name, e.g. Paris') }),
  execute: ({ city }) => ({ city, sky: 'sunny', celsius: 21 }),
});

export const bookTable = defineTool({
  name: 'book_table',
  description: 'Book a restaurant table in a city',
  parameters: z.object({ city: z.string(), people: z.number().int().min(1).max(12) }),
  needsApproval: true,
  execute: ({ city, people }) => ({ booked: true, city, people, time: '20:00' }),
});

export const demoTools: AnyToolDefinition[] = [getWeather, bookTable];
