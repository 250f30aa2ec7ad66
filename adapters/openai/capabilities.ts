/**
 * What can change on a live OpenAI Realtime connection, as data (see docs/providers/openai.md).
 *
 * - `voice` is `beforeAudio`: the API refuses a voice change once the model has spoken, so later
 *   changes go through a new connection with the conversation replayed as text.
 * - `temperature` is `inPlace` because beta sessions take it in place; the GA session object has
 *   no temperature at all, so on GA the adapter ignores it (with a warning) rather than failing.
 * - Audio rates are not in the table: the adapter takes every `INPUT_SAMPLE_RATES` rate and
 *   resamples it to the 24 kHz OpenAI takes.
 */
import type { CapabilityTable } from '../adapter.js';

export const OPENAI_CAPABILITIES: CapabilityTable = {
  default: {
    change: {
      instructions: 'inPlace',
      tools: 'inPlace',
      toolChoice: 'inPlace',
      turnDetection: 'inPlace',
      temperature: 'inPlace',
      extra: 'inPlace',
      voice: 'beforeAudio',
    },
    needsFollowUpResponse: true,
    // `response.create` carries the request's id in `response.metadata`, echoed on `response.created`
    // (and in `event_id`, echoed by a refusing `error`): see adapters/openai/wire.ts.
    correlatesResponses: true,
    // A new connection replays the conversation with its function_call items (history.ts), so a
    // function_call_output for a call issued on the old connection refers to an item it has.
    answersEarlierCalls: true,
    // conversation.item.truncate drops the unheard audio and its transcript (openai-realtime-2026.md §6).
    truncatesHeardAudio: true,
  },
};
