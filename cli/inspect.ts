/**
 * `--inspect`: the voxstate inspector (inspect/inspector.ts) with its own relay on 127.0.0.1 at a
 * free port. The page it serves embeds https://stately.ai/inspect: the browser needs internet,
 * the CLI does not.
 */
import type { InspectionEvent, Observer } from 'xstate';
import { createVoxstateInspector } from '../inspect/inspector.js';

export interface InspectorRelay {
  url: string;
  inspect: Observer<InspectionEvent>;
  stop(): Promise<void>;
}

export async function startInspectorRelay(): Promise<InspectorRelay> {
  const inspector = createVoxstateInspector({ relay: { port: 0, host: '127.0.0.1' } });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 3_000)));
  const outcome = await Promise.race([inspector.ready, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout' || !inspector.url) {
    await inspector.stop();
    throw new Error('the inspector relay did not start within 3 s');
  }
  return { url: inspector.url, inspect: inspector.inspect, stop: () => inspector.stop() };
}
