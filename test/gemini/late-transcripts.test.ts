/**
 * Late input transcripts (issue 11, item 5): Gemini does not order `inputTranscription` with the
 * rest of the stream, so a user's words can arrive after the model's `turnComplete`. They belong
 * to the turn in which they were spoken, not to the user's next turn. The emulator sends each
 * spoken turn's transcription after its `turnComplete` (`lateInputTranscription`).
 */
import { describe, expect, it } from 'vitest';
import { createRuleBrain } from '../../emulator/brain.js';
import type { DataEvent } from '../../adapters/events.js';
import { frames, serverFrames, silence, tone, until, useGeminiFixture } from './fixture.js';

const fx = useGeminiFixture();
type Transcript = Extract<DataEvent, { type: 'transcript' }>;
const userTranscripts = (data: DataEvent[]): Transcript[] => data.filter((d): d is Transcript => d.type === 'transcript' && d.role === 'user');

describe('gemini: late input transcription', () => {
  it('a piece after turnComplete belongs to the turn it was spoken in (automatic activity detection)', async () => {
    const emu = await fx.emulator({ brain: createRuleBrain({ transcripts: ['What is one?', 'What is two?'] }), gemini: { lateInputTranscription: true } });
    const h = fx.start(emu, { config: { transcription: {} } }, { inputTranscriptGraceMs: 300 });
    await h.waitForEvent('model.connected');
    const speak = () => {
      for (const frame of frames(Buffer.concat([tone(300, 16000), silence(300, 16000)]), 16000)) h.audio.sendUserAudio(frame, 16000);
    };

    speak();
    await h.waitForEvent('model.responseDone');
    await until(() => serverFrames(emu, 'serverContent').some((f) => (f['serverContent'] as Record<string, unknown>)['inputTranscription']), 'the late transcription');
    speak();
    await until(() => userTranscripts(h.data).filter((t) => t.isFinal).length === 2, 'two final user transcripts', 4000);

    // The emulator really sent the first turn's words after that turn's turnComplete.
    const out = serverFrames(emu, 'serverContent').map((f) => f['serverContent'] as Record<string, unknown>);
    expect(out.findIndex((c) => c['inputTranscription'])).toBeGreaterThan(out.findIndex((c) => c['turnComplete']));

    const finals = userTranscripts(h.data).filter((t) => t.isFinal);
    expect(finals.map((t) => t.text)).toEqual(['What is one?', 'What is two?']);
    expect(finals[0]!.itemId).not.toBe(finals[1]!.itemId);
    // Each delta carries the item of the turn it belongs to.
    const deltas = userTranscripts(h.data).filter((t) => !t.isFinal);
    expect(deltas.map((t) => [t.text, t.itemId])).toEqual([
      ['What is one?', finals[0]!.itemId],
      ['What is two?', finals[1]!.itemId],
    ]);
  });

  it('in-order transcription, the user speaks again right after turnComplete: two turns, not one merged (default grace)', async () => {
    // The common case the grace window must not break: no late piece, and the next turn's words
    // come while the window for the answered turn is still open. Audible audio from the client
    // ends that window, so the new words start a turn of their own.
    const emu = await fx.emulator({ brain: createRuleBrain({ transcripts: ['What is one?', 'What is two?'] }) });
    const h = fx.start(emu, { config: { transcription: {} } });
    await h.waitForEvent('model.connected');
    const speak = () => {
      for (const frame of frames(Buffer.concat([tone(300, 16000), silence(300, 16000)]), 16000)) h.audio.sendUserAudio(frame, 16000);
    };
    speak();
    await h.waitForEvent('model.responseDone');
    speak();
    await until(() => userTranscripts(h.data).filter((t) => t.isFinal).length === 1, 'the first final');
    await until(() => userTranscripts(h.data).filter((t) => !t.isFinal).length === 2, 'the second turn words', 4000);
    h.stop();
    const finals = userTranscripts(h.data).filter((t) => t.isFinal);
    expect(finals.map((t) => t.text)).toEqual(['What is one?', 'What is two?']);
    expect(finals[0]!.itemId).not.toBe(finals[1]!.itemId);
  });

  it('silence streamed after turnComplete (an open microphone) keeps the window open; audible audio closes it', async () => {
    const emu = await fx.emulator({ brain: createRuleBrain({ transcripts: ['What is one?', 'What is two?'] }) });
    const h = fx.start(emu, { config: { transcription: {} } }, { inputTranscriptGraceMs: 10_000 });
    await h.waitForEvent('model.connected');
    const send = (pcm: Buffer) => {
      for (const frame of frames(pcm, 16000)) h.audio.sendUserAudio(frame, 16000);
    };
    const lateEmulatorPiece = async (text: string) => {
      emu.gemini.inject({ type: 'frame', frame: { serverContent: { inputTranscription: { text } } } });
      await until(() => userTranscripts(h.data).some((t) => t.text === text), `the piece ${text}`);
    };
    send(Buffer.concat([tone(300, 16000), silence(300, 16000)]));
    await h.waitForEvent('model.responseDone');
    send(silence(200, 16000));
    await until(() => emu.context.log.frames('in', 'gemini').length > 4, 'the silence on the wire');
    await lateEmulatorPiece(' Really.');
    // Still the answered turn's: no final yet, the same item.
    const [first, late] = userTranscripts(h.data);
    expect(late!.itemId).toBe(first!.itemId);
    expect(userTranscripts(h.data).filter((t) => t.isFinal)).toEqual([]);
    // The user speaks again: the answered turn is final at once, and a piece now is the new turn's.
    send(tone(100, 16000));
    await until(() => userTranscripts(h.data).some((t) => t.isFinal), 'the first final');
    expect(userTranscripts(h.data).filter((t) => t.isFinal).map((t) => t.text)).toEqual(['What is one? Really.']);
    await lateEmulatorPiece(' Next');
    expect(userTranscripts(h.data).at(-1)!.itemId).not.toBe(first!.itemId);
    h.stop();
  });

  it('manual activity: activityStart ends the previous turn at once', async () => {
    const emu = await fx.emulator({ brain: createRuleBrain({ transcripts: ['What is one?', 'What is two?'] }), gemini: { lateInputTranscription: true } });
    // A long grace: only the client's activityStart can end the first turn before the second one's words.
    const h = fx.start(emu, { config: { transcription: {}, turnDetection: { type: 'none' } } }, { inputTranscriptGraceMs: 60_000 });
    await h.waitForEvent('model.connected');
    const turn = () => {
      // The first frame opens the activity (activityStart), the commit ends it (activityEnd).
      for (const frame of frames(tone(200, 16000), 16000)) h.audio.sendUserAudio(frame, 16000);
      h.send({ type: 'client.commitAudio' });
    };
    turn();
    await h.waitForEvent('model.responseDone');
    await until(() => userTranscripts(h.data).length === 1, 'the first turn words');
    turn();
    await until(() => userTranscripts(h.data).filter((t) => t.isFinal).length === 1, 'the first final');
    expect(userTranscripts(h.data).filter((t) => t.isFinal).map((t) => t.text)).toEqual(['What is one?']);
    await until(() => userTranscripts(h.data).length === 3, 'the second turn words');
    h.stop();
    // The connection ended: the second turn is final too, on its own.
    const finals = userTranscripts(h.data).filter((t) => t.isFinal);
    expect(finals.map((t) => t.text)).toEqual(['What is one?', 'What is two?']);
  });
});
