/**
 * The one REST call each provider's credential-minting helper makes (`mintGeminiToken`,
 * `mintOpenAIClientSecret`): POST a JSON body with the real key in a header, and read a JSON answer.
 * A refusal becomes an error with the provider's own message (the key redacted from it), and an
 * answer that is not JSON a clear error, never a bare SyntaxError.
 */
import { redactSecrets } from '../errors.js';

export interface MintRequest {
  /** Who is asked, for error messages: 'Gemini', 'OpenAI'. */
  provider: string;
  /** What is minted, for error messages: 'an ephemeral token', 'a client secret'. */
  what: string;
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** The real key: redacted from anything the provider echoes. */
  apiKey: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** The parsed JSON answer of a successful request; throws a readable error otherwise. */
export async function postMintRequest(request: MintRequest): Promise<Record<string, unknown>> {
  const response = await (request.fetch ?? fetch)(request.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...request.headers },
    body: JSON.stringify(request.body),
    signal: request.signal,
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${request.provider} refused to mint ${request.what}: HTTP ${response.status}: ${redactSecrets(errorMessage(text), [request.apiKey])}`);
  }
  try {
    const json: unknown = JSON.parse(text);
    if (json !== null && typeof json === 'object' && !Array.isArray(json)) return json as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new Error(`${request.provider} answered the request for ${request.what} with something that is not a JSON object (${text.length} chars)`);
}

/** The `error.message` of a provider error body (both use that shape), else a short excerpt. */
function errorMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON
  }
  return text.slice(0, 200);
}
