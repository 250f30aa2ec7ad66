/**
 * One client process of the bench (spawned by bench/main.ts, one per client, scenario and round):
 *
 *   node --import tsx --expose-gc bench/client-main.ts <client> '<RunParams JSON>'
 *
 * Loads only the client it runs (a bare client never loads voxstate), runs the scenario and prints
 * one line `RESULT <json>`; any failure is one line `FAILED <message>` and exit code 1.
 */
import type { BenchClient, ClientName } from './clients/client.js';
import { runScenario, type RunParams } from './scenarios.js';

async function load(name: ClientName): Promise<BenchClient> {
  switch (name) {
    case 'bare-openai':
      return (await import('./clients/bare-openai.js')).bareOpenAI;
    case 'bare-gemini':
      return (await import('./clients/bare-gemini.js')).bareGemini;
    case 'agents-sdk':
      return (await import('./clients/agents-sdk.js')).agentsSdk;
    case 'voxstate-openai':
      return (await import('./clients/voxstate.js')).voxstateOpenAI;
    case 'voxstate-gemini':
      return (await import('./clients/voxstate.js')).voxstateGemini;
    case 'voxstate-openai-otel':
      return (await import('./clients/voxstate-otel.js')).voxstateOpenAIOtel;
  }
}

const [name, json] = process.argv.slice(2);
try {
  const params = JSON.parse(json ?? '') as RunParams;
  const client = await load(name as ClientName);
  const measured = await runScenario(client, params);
  process.stdout.write(`RESULT ${JSON.stringify(measured)}\n`);
  process.exit(0);
} catch (error) {
  process.stdout.write(`FAILED ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
