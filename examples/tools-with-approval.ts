/**
 * A tool that needs a human's approval above an amount. The session asks through
 * `tool_approval_requested`; the application answers with `approveTool` or `rejectTool`, and the
 * model hears the outcome either way.
 *
 *   npx tsx examples/tools-with-approval.ts
 */
import { z } from 'zod';
import { openaiRealtime } from '../adapters/openai/index.js';
import { startEmulator } from '../emulator/index.js';
import { createRealtimeSession, defineTool } from '../index.js';

const refund = defineTool({
  name: 'issue_refund',
  description: 'Refund a customer',
  parameters: z.object({ customer: z.string(), amount: z.number().positive() }),
  needsApproval: ({ amount }) => amount > 100, // small refunds go through on their own
  execute: ({ customer, amount }) => ({ refunded: amount, customer, reference: `R-${amount}` }),
});

const emulator = process.env.VOXSTATE_OPENAI_URL ? undefined : await startEmulator();
const session = createRealtimeSession({
  model: openaiRealtime({
    apiKey: process.env.OPENAI_API_KEY ?? 'sk-emulator',
    url: process.env.VOXSTATE_OPENAI_URL ?? emulator!.openaiUrl,
  }),
  instructions: 'You are a support agent. You can issue refunds.',
  tools: [refund],
});

// The "human" in this example: approves up to 500, rejects anything larger.
session.on('tool_approval_requested', (e) => {
  const { amount } = e.args as { amount: number };
  const ok = amount <= 500;
  console.log(`approval needed: ${e.name} ${JSON.stringify(e.args)} → ${ok ? 'approved' : 'rejected'}`);
  // Both reject if the call is no longer waiting (e.g. a barge-in cancelled it): report, don't crash.
  const decided = ok ? session.approveTool(e.callId) : session.rejectTool(e.callId, 'Refunds over 500 need a manager.');
  decided.catch((err: Error) => console.log(`approval not applied: ${err.message}`));
});
session.on('tool_result', (e) => console.log(`tool result: ${e.status} ${JSON.stringify(e.output)}`));

/** Resolves with the spoken answer that ends the next turn (after any tool round trip). */
function nextAnswer(): Promise<string> {
  return new Promise((resolve) => {
    let said = '';
    const offText = session.on('transcript', (e) => {
      if (e.role === 'assistant' && e.isFinal) said = e.text;
    });
    const offDone = session.on('response_done', () => {
      if (!said) return; // the response that only called the tool
      offText();
      offDone();
      resolve(said);
    });
  });
}

await session.connect();
for (const request of ['Please refund 40 euros for Alice', 'Please refund 150 euros for Bob', 'Please refund 900 euros for Carol']) {
  console.log(`user: ${request}`);
  const answer = nextAnswer();
  await session.sendText(request);
  console.log(`assistant: ${await answer}`);
}

await session.close();
await emulator?.close();
