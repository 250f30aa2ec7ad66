/**
 * Misuse is consistent and typed: tool decisions for unknown ids reject like `sendToolResult`,
 * odd-length PCM is refused without touching what is buffered, an empty API key is a config error,
 * and a tool whose parameters JSON Schema cannot express fails at `defineTool`, naming the field.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { geminiLive } from '../../adapters/gemini/index.js';
import { openaiRealtime } from '../../adapters/openai/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { ConfigValidationError, createRealtimeSession, defineTool, NotConnectedError, toolFromHandler, VoxstateError } from '../../index.js';
import { createScriptedModel } from '../../testing.js';
import { record } from './event-log.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const refund = defineTool({
  name: 'issue_refund',
  description: 'Refunds a customer',
  parameters: z.object({ amount: z.number() }),
  needsApproval: true,
  execute: ({ amount }) => ({ refunded: amount }),
});

describe('tool decisions for call ids nothing is waiting on', () => {
  it('approveTool / rejectTool reject with tool_error, as sendToolResult does, and the session keeps running', async () => {
    const model = createScriptedModel({ autoRespond: false });
    const session = createRealtimeSession({ model, tools: [refund] });
    const log = record(session);
    await session.connect();
    await expect(session.approveTool('no_such_call')).rejects.toMatchObject({ code: 'tool_error', name: 'VoxstateError' });
    await expect(session.rejectTool('no_such_call', 'no')).rejects.toMatchObject({ code: 'tool_error' });
    await expect(session.sendToolResult('no_such_call', {})).rejects.toMatchObject({ code: 'tool_error' });

    // A real call waiting for approval is still decided normally, and once settled it is unknown again.
    model.push({ type: 'model.functionCall', callId: 'r1', name: 'issue_refund', arguments: '{"amount":5}' });
    await log.waitFor('tool_approval_requested');
    await session.approveTool('r1');
    await log.waitFor('tool_result');
    await expect(session.rejectTool('r1')).rejects.toBeInstanceOf(VoxstateError);
    expect(log.of('tool_result').map((e) => e.status)).toEqual(['succeeded']);
    await session.close();
    await expect(session.approveTool('r1')).rejects.toBeInstanceOf(NotConnectedError);
  });
});

describe('odd-length PCM', () => {
  it('sendAudio throws invalid_audio and loses nothing already buffered during a connection swap', async () => {
    const model = createScriptedModel({ change: { instructions: 'resumption' }, connectDelayMs: 30 });
    const session = createRealtimeSession({ model });
    await session.connect();
    const swap = session.updateSession({ instructions: 'New instructions.' });
    const first = Buffer.from([1, 0, 2, 0, 3, 0, 4, 0]);
    const second = Buffer.from([5, 0, 6, 0]);
    session.sendAudio(first);
    let thrown: unknown;
    try {
      session.sendAudio(Buffer.from([9, 9, 9]));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VoxstateError);
    expect(thrown).toMatchObject({ code: 'invalid_audio' });
    session.sendAudio(second);
    expect(await swap).toBe('resumed');
    expect(Buffer.concat(model.current().userAudio)).toEqual(Buffer.concat([first, second]));
    await session.close();
  });

  it('a session.sendAudio event (embedding) with an odd length becomes an invalid_audio error event, not audio', async () => {
    const model = createScriptedModel();
    const session = createRealtimeSession({ model });
    const log = record(session);
    await session.connect();
    session.actor.send({ type: 'session.sendAudio', audio: Buffer.from([1, 2, 3]) });
    session.actor.send({ type: 'session.sendAudio', audio: Buffer.from([1, 0]) });
    const error = await log.waitFor('error');
    expect(error.error.code).toBe('invalid_audio');
    expect(Buffer.concat(model.current().userAudio)).toEqual(Buffer.from([1, 0]));
    await session.close();
  });
});

describe('empty API keys', () => {
  it('are config errors naming the option, at the adapter factory', () => {
    for (const create of [
      () => openaiRealtime({ apiKey: '' }),
      () => openaiRealtime({ apiKey: '   ' }),
      () => geminiLive({ apiKey: '' }),
    ]) {
      let thrown: unknown;
      try {
        create();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigValidationError);
      expect(thrown).toMatchObject({ code: 'invalid_config', field: 'apiKey' });
    }
    expect(() => geminiLive({ vertex: { project: 'p', location: 'us-central1', accessToken: '' } })).toThrow(
      expect.objectContaining({ code: 'invalid_config', field: 'vertex.accessToken' }),
    );
  });

  it('fail the connection with invalid_config when a key function returns an empty key, naming the option (both adapters)', async () => {
    emulator = await startEmulator();
    const models = [
      openaiRealtime({ apiKey: () => '', url: emulator.openaiUrl }),
      geminiLive({ apiKey: async () => ' ', url: emulator.geminiUrl }),
    ];
    for (const model of models) {
      const session = createRealtimeSession({ model });
      const error = await session.connect().then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ code: 'invalid_config', param: 'apiKey' });
      expect(String((error as Error).message)).toMatch(/apiKey function returned an empty key/);
      await session.close();
    }
    expect(emulator.context.log.entries).toEqual([]);
  });
});

describe('defineTool with parameters JSON Schema cannot express', () => {
  it('fails at definition, naming the tool and the field', () => {
    let thrown: unknown;
    try {
      defineTool({
        name: 'book_table',
        description: 'Books a table',
        parameters: z.object({ guests: z.number(), slot: z.object({ when: z.date() }) }),
        execute: () => ({ booked: true }),
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VoxstateError);
    expect(thrown).toMatchObject({ code: 'invalid_config', param: 'slot.when' });
    expect((thrown as Error).message).toMatch(/book_table.*slot\.when.*Date cannot be represented in JSON Schema/);
  });
});

describe('defineTool with a parameters schema used before (the JSON Schema is converted once per zod schema)', () => {
  it('gives each definition its own equal JSON Schema, and a schema that cannot convert fails every time', () => {
    const parameters = z.object({ city: z.string(), days: z.number().default(1) });
    const first = defineTool({ name: 'weather', parameters, execute: () => 'sunny' });
    const second = defineTool({ name: 'forecast', parameters, execute: () => 'rain' });
    expect(second.jsonSchema).toEqual(first.jsonSchema);
    expect(second.jsonSchema).not.toBe(first.jsonSchema);
    expect(first.jsonSchema).toMatchObject({ type: 'object', required: ['city'] });
    expect(first.jsonSchema).not.toHaveProperty('$schema');

    const bad = z.object({ when: z.date() });
    for (const name of ['first_try', 'second_try']) {
      expect(() => defineTool({ name, parameters: bad, execute: () => 0 })).toThrow(
        expect.objectContaining({ code: 'invalid_config', param: 'when', message: expect.stringMatching(new RegExp(`${name}.*"when"`)) }),
      );
    }
  });
});

describe('defineTool and toolFromHandler with a behavior or scheduling outside the union (a JavaScript caller)', () => {
  it('fail at definition, naming the tool and the field, instead of treating the call as blocking', () => {
    const bad = { behavior: 'Background' } as unknown as { behavior: 'background' };
    expect(() => defineTool({ name: 'watch', parameters: z.object({}), execute: () => 'ok', ...bad })).toThrow(
      expect.objectContaining({ code: 'invalid_config', param: 'behavior', message: expect.stringMatching(/tool "watch": behavior must be one of 'blocking', 'background'; got "Background"/) }),
    );
    const late = { behavior: 'background', scheduling: 'later' } as unknown as { scheduling: 'silent' };
    expect(() => toolFromHandler({ name: 'scan' }, () => 'ok', late)).toThrow(
      expect.objectContaining({ code: 'invalid_config', param: 'scheduling', message: expect.stringMatching(/tool "scan": scheduling must be one of/) }),
    );
  });
});
