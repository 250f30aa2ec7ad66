/**
 * `@opentelemetry/api` is an optional peer dependency (issue 18): with it absent (simulated: the
 * module fails to load, as an uninstalled package does), a session asking for telemetry runs as
 * usual, says once that there will be no spans or metrics, and still keeps its report.
 */
import { describe, expect, it, vi } from 'vitest';
import { createRealtimeSession, type Logger } from '../../index.js';
import { createScriptedModel } from '../../testing.js';
import { record, waitUntil } from '../session/event-log.js';

vi.mock('@opentelemetry/api', () => {
  throw new Error("Cannot find package '@opentelemetry/api'");
});

describe('telemetry without @opentelemetry/api', () => {
  it('is no error: the session runs, one warning says why nothing is exported, the report is kept', async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, error() {}, warn: (_fields, msg) => void warnings.push(String(msg)) };
    const session = createRealtimeSession({ model: createScriptedModel({ responses: [{ transcript: 'Hello.' }] }), telemetry: true, logger });
    const log = record(session);
    await session.connect();
    await session.sendText('hi').reply;
    await session.close();
    await waitUntil(() => warnings.length > 0, 'the warning');
    expect(warnings).toEqual([expect.stringContaining('@opentelemetry/api is not installed')]);
    expect(log.of('error')).toEqual([]);
    expect(log.of('session_report')[0]!.report.turns.responses).toBe(1);
  });

  it('without the option nothing is loaded: not even a warning', async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, error() {}, warn: (_fields, msg) => void warnings.push(String(msg)) };
    const session = createRealtimeSession({ model: createScriptedModel({ responses: [{ transcript: 'Hello.' }] }), logger });
    await session.connect();
    await session.sendText('hi').reply;
    await session.close();
    expect(warnings).toEqual([]);
    expect(session.report().turns.responses).toBe(1);
  });
});
