/**
 * `--report <file.json>` on `demo` and `run`: the session's final report (`session.report()`, what
 * the `session_report` event carries at close; telemetry/report.ts) written as JSON. Error
 * messages in it are already redacted (`redactSecrets`); the run's own key is redacted again here
 * in case a provider echoed it in a form the patterns do not know.
 */
import { writeFileSync } from 'node:fs';
import { redactSecrets } from '../errors.js';
import type { RealtimeSession } from '../index.js';
import { prepareOutput } from './wav.js';

/** Checks, before the session, that the report can be written there (a usage error otherwise). */
export function prepareReport(path: string | undefined): void {
  if (path !== undefined) prepareOutput(path, '--report');
}

/** Writes the closed session's report; `secrets`: values never to appear (the run's API key). */
export function writeReport(path: string, session: RealtimeSession, secrets: string[] = []): void {
  writeFileSync(path, `${redactSecrets(JSON.stringify(session.report(), null, 2), secrets)}\n`);
}
