/** The closing summary of `demo` and `run`. */
import type { ConversationStats } from './timeline.js';

export const userPrompt = (text: string): string => `“${text}”`;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** `1 response`, `2 responses`, `0 resumptions`. */
export const count = (n: number, singular: string, plural = `${singular}s`): string => `${n} ${n === 1 ? singular : plural}`;

export function printSummary(options: { provider: string; target: string; stats: ConversationStats; output: string; elapsedMs: number; report?: string | undefined }): void {
  const { stats } = options;
  const tools = stats.toolCalls.length ? ` (${stats.toolCalls.join(', ')})` : '';
  const rows: Array<[string, string]> = [
    ['provider', `${options.provider}, ${options.target}`],
    ['turns', `${stats.userTurns} user, ${count(stats.responses, 'response')} (${stats.interrupted} interrupted)`],
    ['tool calls', `${stats.toolCalls.length}${tools}`],
    ['audio in', `${seconds(stats.userAudioMs)} sent`],
    ['audio out', `${seconds(stats.assistantAudioMs)} received → ${options.output}`],
    ['first audio', stats.firstAudioMs === undefined ? 'none' : `${Math.round(stats.firstAudioMs)} ms after the first user turn ended`],
    ['config', stats.updates.length ? `${stats.updates.join(' → ')}, ${count(stats.resumptions, 'resumption')}` : 'no change'],
    ['wall time', seconds(options.elapsedMs)],
    ...(options.report === undefined ? [] : [['report', `session report → ${options.report}`] as [string, string]]),
  ];
  console.log('\nsummary');
  for (const [label, value] of rows) console.log(`  ${label.padEnd(12)} ${value}`);
}
