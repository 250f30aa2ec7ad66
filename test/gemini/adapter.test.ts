/**
 * The Gemini Live adapter against the emulator's Gemini side, over real loopback sockets.
 */
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import type { ModelEvent } from '../../adapters/events.js';
import { geminiLive } from '../../adapters/gemini/index.js';
import { startAdapter } from '../adapters/harness.js';
import { adapterFor, API_KEY, clientFrames, frames, serverFrames, silence, tone, until, useGeminiFixture } from './fixture.js';

type Harness = ReturnType<typeof startAdapter>;
const fx = useGeminiFixture();
const start = fx.start;
let emu: Emulator | undefined;

const weatherTool = { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const types = (events: ModelEvent[]): string[] => events.map((e) => e.type);

describe('gemini adapter: connection', () => {
  it('an invalid URL → connectFailed, not a crash', async () => {
    const h = startAdapter(geminiLive({ apiKey: API_KEY, url: 'not a url' }));
    fx.track(h);
    const failed = await h.waitForEvent('model.connectFailed');
    expect(failed.error.message).toContain('invalid URL');
    expect(failed.error.message).not.toContain(API_KEY);
  });

  it('sends setup first and nothing else before setupComplete', async () => {
    emu = await fx.emulator();
    const h = start(emu, { config: { instructions: 'Be brief.', tools: [weatherTool] } });
    // Queued before setupComplete: must go out after it.
    h.send({ type: 'client.text', text: 'hello' });
    await h.waitForEvent('model.connected');
    await h.waitForEvent('model.responseDone');
    const log = emu.context.log.entries.filter((e) => e.protocol === 'gemini');
    const firstIn = log.findIndex((e) => e.direction === 'in');
    const setupComplete = log.findIndex((e) => e.direction === 'out' && 'setupComplete' in (e.frame as object));
    const secondIn = log.findIndex((e, i) => i > firstIn && e.direction === 'in');
    expect(Object.keys(log[firstIn]!.frame as object)).toEqual(['setup']);
    expect(setupComplete).toBeGreaterThan(firstIn);
    expect(secondIn).toBeGreaterThan(setupComplete);
    const setup = (clientFrames(emu, 'setup')[0] as { setup: Record<string, unknown> }).setup;
    expect(setup['systemInstruction']).toEqual({ parts: [{ text: 'Be brief.' }] });
    expect(setup['sessionResumption']).toEqual({});
    expect(setup['contextWindowCompression']).toEqual({ slidingWindow: {} });
    expect(setup['tools']).toEqual([
      { functionDeclarations: [{ name: 'get_weather', description: 'Weather for a city', behavior: 'BLOCKING', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] } }] },
    ]);
    expect(h.events.find((e) => e.type === 'model.connected')).toMatchObject({ restored: false });
  });

  it('parses JSON from text frames as well as binary ones', async () => {
    emu = await fx.emulator({ gemini: { binaryFrames: 'none' } });
    const h = start(emu);
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: 'hi' });
    await h.waitForEvent('model.responseDone');
    expect(h.data.some((d) => d.type === 'audio')).toBe(true);
  });

  it('reports a refused connection without the key', async () => {
    emu = await fx.emulator({ gemini: { apiKey: 'AIzaSyDIFFERENT-key-00000000000000' } });
    const h = start(emu);
    const failed = await h.waitForEvent('model.connectFailed');
    expect(failed.error.message).toContain('401');
    expect(JSON.stringify(h.events)).not.toContain(API_KEY);
  });

  it('reports a closed port as connectFailed without the key', async () => {
    emu = await fx.emulator();
    const url = emu.geminiUrl;
    await emu.close();
    emu = undefined;
    const h = startAdapter(adapterFor({ geminiUrl: url } as Emulator));
    fx.track(h);
    const failed = await h.waitForEvent('model.connectFailed');
    expect(failed.error.code).toBe('connection_failed');
    expect(JSON.stringify(h.events)).not.toContain(API_KEY);
  });
});

describe('gemini adapter: turns', () => {
  it('delivers 24 kHz audio and transcripts between responseCreated and responseDone', async () => {
    emu = await fx.emulator();
    // A 2.5 model: text goes as clientContent (gemini-3* models take realtimeInput text).
    const h = start(emu, {}, { model: 'gemini-2.5-flash-native-audio-preview-12-2025' });
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: 'tell me something' });
    const done = await h.waitForEvent('model.responseDone');
    const t = types(h.events);
    expect(t.indexOf('model.responseCreated')).toBeLessThan(t.indexOf('model.outputAudioStarted'));
    expect(t.filter((x) => x === 'model.outputAudioStarted')).toHaveLength(1);
    expect(done.status).toBe('completed');
    const created = h.events.find((e) => e.type === 'model.responseCreated');
    expect(created?.responseId).toBe(done.responseId);
    const audio = h.data.filter((d) => d.type === 'audio');
    expect(audio.length).toBeGreaterThan(1);
    expect(audio.every((a) => a.sampleRate === 24000 && a.audio.length > 0)).toBe(true);
    const final = h.data.find((d) => d.type === 'transcript' && d.role === 'assistant' && d.isFinal);
    expect(final && final.type === 'transcript' ? final.text : '').toContain('You said: tell me something');
    expect(h.events.some((e) => e.type === 'model.usage' && (e.totalTokens ?? 0) > 0)).toBe(true);
    const text = clientFrames(emu, 'clientContent')[0];
    expect(text).toEqual({ clientContent: { turns: [{ role: 'user', parts: [{ text: 'tell me something' }] }], turnComplete: true } });
  });

  it('reports resumable handles and flags the non-resumable ones', async () => {
    emu = await fx.emulator();
    const h = start(emu);
    await h.waitForEvent('model.connected');
    h.send({ type: 'client.text', text: 'hi' });
    await h.waitForEvent('model.responseDone');
    const handles = h.events.filter((e): e is Extract<ModelEvent, { type: 'model.resumptionHandle' }> => e.type === 'model.resumptionHandle');
    expect(handles[0]).toEqual({ type: 'model.resumptionHandle', handle: '', resumable: false });
    expect(handles.at(-1)?.resumable).toBe(true);
    expect(handles.at(-1)?.handle).toMatch(/^gh_/);
    // The fresh handle is reported before the turn ends, so an idle-time resumption uses it.
    const t = types(h.events);
    expect(t.lastIndexOf('model.resumptionHandle')).toBeLessThan(t.indexOf('model.responseDone'));
  });
});

describe('gemini adapter: audio in', () => {
  it('resamples 24 kHz to 16 kHz and batches ≥ 40 ms; commit flushes', async () => {
    emu = await fx.emulator();
    const h = start(emu, { config: { turnDetection: { type: 'none' } } });
    await h.waitForEvent('model.connected');
    const input = tone(500, 24000);
    for (const frame of frames(input, 24000)) h.audio.sendUserAudio(frame, 24000);
    h.send({ type: 'client.commitAudio' });
    await h.waitForEvent('model.responseDone');
    const audioFrames = clientFrames(emu, 'realtimeInput').map((f) => (f as { realtimeInput: Record<string, unknown> }).realtimeInput);
    expect(Object.keys(audioFrames[0]!)).toEqual(['activityStart']);
    expect(Object.keys(audioFrames.at(-1)!)).toEqual(['activityEnd']);
    const chunks = audioFrames.filter((f) => 'audio' in f).map((f) => f['audio'] as { mimeType: string; data: string });
    expect(chunks.every((c) => c.mimeType === 'audio/pcm;rate=16000')).toBe(true);
    const sizes = chunks.map((c) => Buffer.from(c.data, 'base64').length);
    expect(sizes.slice(0, -1).every((s) => s >= 1280)).toBe(true);
    const total = sizes.reduce((a, b) => a + b, 0);
    const expected = (input.length * 2) / 3;
    // libsamplerate holds back its filter delay (a few ms) until more input arrives.
    expect(total).toBeLessThanOrEqual(expected);
    expect(total).toBeGreaterThan(expected - 16000 * 2 * 0.01);
    expect(total % 2).toBe(0);
  });

  it('passes 16 kHz through untouched and the emulator hears the speech', async () => {
    emu = await fx.emulator();
    const h = start(emu, { config: { transcription: {} } });
    await h.waitForEvent('model.connected');
    const input = Buffer.concat([tone(300, 16000), silence(300, 16000)]);
    for (const frame of frames(input, 16000)) h.audio.sendUserAudio(frame, 16000);
    await h.waitForEvent('model.responseDone');
    const sent = clientFrames(emu, 'realtimeInput')
      .map((f) => ((f as { realtimeInput: { audio?: { data: string } } }).realtimeInput.audio?.data ?? ''))
      .map((d) => Buffer.from(d, 'base64'));
    expect(Buffer.concat(sent).subarray(0, 640)).toEqual(input.subarray(0, 640));
    // The user's final transcript follows turnComplete after the grace for late pieces.
    await until(() => h.data.some((d) => d.type === 'transcript' && d.role === 'user' && d.isFinal), 'the final user transcript');
    const user = h.data.find((d) => d.type === 'transcript' && d.role === 'user' && d.isFinal);
    expect(user && user.type === 'transcript' ? user.text : '').toMatch(/spoken turn 1/);
  });

  it('clearAudio drops the unsent batch', async () => {
    emu = await fx.emulator();
    const h = start(emu, { config: { turnDetection: { type: 'none' } } });
    await h.waitForEvent('model.connected');
    h.audio.sendUserAudio(tone(20, 16000), 16000);
    h.send({ type: 'client.clearAudio' });
    h.send({ type: 'client.commitAudio' });
    await until(() => clientFrames(emu!, 'realtimeInput').some((f) => 'activityEnd' in (f['realtimeInput'] as object)), 'activityEnd');
    expect(clientFrames(emu, 'realtimeInput').some((f) => 'audio' in (f['realtimeInput'] as object))).toBe(false);
  });
});
