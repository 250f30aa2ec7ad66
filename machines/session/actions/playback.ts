/**
 * What the user heard, on an interruption: the audio plane's playback tracker (adapters/playback.ts)
 * says which items of the interrupted response were cut short and where; each is truncated at the
 * provider (`client.truncate`, OpenAI `conversation.item.truncate`; Gemini has none) and reported
 * once as `truncated`.
 */
import { enqueueActions } from 'xstate';
import type { ClientIntent } from '../../../adapters/events.js';
import { defineActions } from '../setup.js';

export const playbackActions = defineActions({
  /**
   * `playedMs`: the position the application gave with `interrupt({ playedMs })`, for the current
   * item. `responseActive`: the interrupted response was still generating, so its current item is
   * cut even when everything received was played (the server generated more than arrived).
   */
  truncateHeardAudio: enqueueActions(({ context, enqueue }, params: { playedMs: number | undefined; responseActive: boolean }) => {
    for (const cut of context.audio.playback.cut(params.playedMs, params.responseActive)) {
      enqueue.sendTo('model', { type: 'client.truncate', itemId: cut.itemId, audioEndMs: cut.playedMs, receivedMs: cut.receivedMs } satisfies ClientIntent);
      enqueue.emit({ type: 'truncated', itemId: cut.itemId, playedMs: cut.playedMs, receivedMs: cut.receivedMs });
    }
  }),
});
