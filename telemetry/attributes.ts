/**
 * Attribute and instrument names. The `gen_ai.*` ones are the OpenTelemetry GenAI semantic
 * conventions (development status), as published in `@opentelemetry/semantic-conventions` 1.45
 * (`incubating` entry: ATTR_GEN_AI_PROVIDER_NAME, ATTR_GEN_AI_REQUEST_MODEL,
 * ATTR_GEN_AI_OPERATION_NAME, ATTR_GEN_AI_CONVERSATION_ID, ATTR_GEN_AI_RESPONSE_ID,
 * ATTR_GEN_AI_USAGE_INPUT_TOKENS/OUTPUT_TOKENS, ATTR_GEN_AI_TOOL_NAME, ATTR_GEN_AI_TOOL_CALL_ID,
 * ATTR_GEN_AI_TOOL_TYPE, ATTR_GEN_AI_TOKEN_TYPE, METRIC_GEN_AI_CLIENT_TOKEN_USAGE). They are
 * spelled out here so the runtime needs no semantic-conventions package. The `voxstate.*` ones
 * are voxstate's own, for what the conventions do not cover (connections, swaps, audio).
 */
export const ATTR = {
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  operationName: 'gen_ai.operation.name',
  conversationId: 'gen_ai.conversation.id',
  responseId: 'gen_ai.response.id',
  finishReasons: 'gen_ai.response.finish_reasons',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolType: 'gen_ai.tool.type',
  toolArguments: 'gen_ai.tool.call.arguments',
  tokenType: 'gen_ai.token.type',
  errorType: 'error.type',
  connectionId: 'voxstate.connection.id',
  connectReason: 'voxstate.connect.reason',
  providerSessionId: 'voxstate.provider_session.id',
  requestId: 'voxstate.request.id',
  responseStatus: 'voxstate.response.status',
  toolStatus: 'voxstate.tool.status',
  swapReason: 'voxstate.swap.reason',
  swapOutcome: 'voxstate.swap.outcome',
  /** Whether the provider kept the conversation's context across the swap (`session_resumed.restored`). */
  contextRestored: 'voxstate.swap.context_restored',
  audioDirection: 'voxstate.audio.direction',
  interruptSource: 'voxstate.interrupt.source',
  timeToFirstAudioMs: 'voxstate.time_to_first_audio_ms',
  transcript: 'voxstate.transcript',
} as const;

/** `gen_ai.operation.name` values (the conventions' well-known ones). */
export const OPERATION = { chat: 'chat', executeTool: 'execute_tool' } as const;

/** voxstate's provider names → `gen_ai.provider.name` well-known values (data, not branches). */
const PROVIDER_NAMES: Record<string, string> = { openai: 'openai', gemini: 'gcp.gemini' };

export function providerName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider;
}

export const SPAN = {
  session: 'voxstate.session',
  connection: 'voxstate.connection',
  resumption: 'voxstate.resumption',
  approval: 'voxstate.tool.approval',
} as const;

/** Span names the conventions give: `{operation} {model}` for inference, `execute_tool {tool}` for tools. */
export const responseSpanName = (model: string): string => `${OPERATION.chat} ${model}`;
export const toolSpanName = (tool: string): string => `${OPERATION.executeTool} ${tool}`;

export const METRIC = {
  activeSessions: 'voxstate.session.active',
  timeToFirstAudio: 'voxstate.turn.time_to_first_audio',
  responseDuration: 'voxstate.response.duration',
  toolDuration: 'voxstate.tool.duration',
  swaps: 'voxstate.connection.swaps',
  audio: 'voxstate.audio.duration',
  errors: 'voxstate.errors',
  tokenUsage: 'gen_ai.client.token.usage',
} as const;

/** Explicit histogram buckets, in seconds or tokens. */
export const BUCKETS = {
  // Voice latency: what users feel is 0.2–1.5 s.
  timeToFirstAudio: [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
  responseDuration: [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120],
  toolDuration: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  // The buckets the GenAI conventions advise for gen_ai.client.token.usage.
  tokens: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864],
} as const;
