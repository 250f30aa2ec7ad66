/**
 * voxstate: realtime voice-agent sessions as XState v5 actors. Public exports only; every name
 * here is documented in docs/api.md.
 */
export { createRealtimeSession } from './session/create.js';
export { createSessionLogic } from './session/logic.js';
export type { RealtimeSession, UpdateOutcome, UpdateCompletion, UpdateRequest, ReplyRequest, ResponseDone } from './session/realtime-session.js';
export type { RealtimeSessionOptions, SessionLogicOptions } from './session/options.js';
export type { EventHandler } from './session/listeners.js';
export type { SessionTool } from './session/tools.js';
export type { SessionEventMap, SessionEventName, AnySessionEvent } from './session/event-map.js';
export type { HistoryItem, MessageItem, ToolCallItem, HistoryItemStatus, TruncationMark, HistoryUpdatedEvent } from './session/history-items.js';

export { realtimeSessionMachine } from './machines/session/session.machine.js';
export type { RealtimeSessionMachine } from './machines/session/session.machine.js';
export { toolCallMachine } from './tools/call.machine.js';
export type { ToolOutcome, ToolStatus, ToolCallInput } from './tools/call.machine.js';
export type {
  SessionInput,
  SessionOptions,
  SessionContext,
  SessionIntent,
  SessionEvent,
  SessionEmitted,
  SessionEmittedType,
  SessionParentEvent,
  SessionOutput,
  Swap,
  SwapWhy,
} from './machines/session/types.js';
export { toParentEvent } from './machines/session/actions/parent.js';
export {
  SessionConfigSchema,
  SessionDeltaSchema,
  parseSessionConfig,
  parseSessionDelta,
  mergeSessionDelta,
  MUTABLE_FIELDS,
} from './config.js';
export type { SessionConfig, SessionConfigInput, SessionDelta, SessionDeltaInput, MutableField, ToolSpec, ToolBehavior, ToolScheduling, TurnDetection } from './config.js';

export { defineTool, toolFromHandler } from './tools/define.js';
export type { ToolDefinition, AnyToolDefinition, ToolExecuteContext, ToolCall, ApprovalPolicy, ToolTiming } from './tools/define.js';
export { ToolRegistry } from './tools/registry.js';
export { createToolCallLogic } from './tools/runtime.js';
export type { ToolErrorOutput, ToolErrorType } from './tools/outputs.js';

export { AudioPlane } from './adapters/audio-plane.js';
export type { AudioPlaneOptions } from './adapters/audio-plane.js';
export type { PlaybackMode, PlaybackReport } from './adapters/playback.js';
export type { AudioPort, UserAudioSink } from './adapters/audio-port.js';
export { SocketLedger } from './adapters/socket-ledger.js';
export { createPcmResampler, INPUT_SAMPLE_RATES } from './adapters/resampler.js';
export type { PcmResampler, PcmResamplerOptions, ResamplerQuality, InputSampleRate } from './adapters/resampler.js';
export { capabilitiesFor, canApplyInPlace } from './adapters/adapter.js';
export type { ModelAdapter, ModelAdapterLogic, AdapterInput, Capabilities, CapabilityTable, ChangeRule, ConnectReason, Deprecation } from './adapters/adapter.js';
export { applyProfile, resolveProfile, unsupportedOption } from './adapters/profile.js';
export type { ModelProfile, ProfileTable } from './adapters/profile.js';
export { ClientIntentSchema, ModelEventSchema, RESPONSE_ALREADY_ACTIVE, toModelEvent } from './adapters/events.js';
export type { ClientIntent, ModelEvent, DataEvent, AudioOut, TextOut, TranscriptOut, UnknownOut } from './adapters/events.js';
export type { ResponseStatusDetails } from './adapters/events.js';

export {
  VoxstateError,
  NotConnectedError,
  ConfigValidationError,
  UpdateFailedError,
  RequestFailedError,
  redactSecrets,
} from './errors.js';
export type { ErrorInfo, VoxstateErrorCode } from './errors.js';
export { silentLogger } from './logger.js';
export type { Logger, LogLevel } from './logger.js';
export type { TelemetryOption, TelemetryOptions } from './telemetry/options.js';
export type { OtelTracer, OtelMeter } from './telemetry/otel-types.js';
export type { SessionReport, SessionReportEvent, ToolReport, LatencySummary } from './telemetry/report.js';

export { createVoxstateInspector } from './inspect/inspector.js';
export type { VoxstateInspector, VoxstateInspectorOptions, VoxstateInspectorStats } from './inspect/inspector.js';
export { createInspectionCallback, sanitizeInspectionEvent } from './inspect/callback.js';
export type { InspectionCallbackOptions, SanitizedInspectionEvent } from './inspect/callback.js';
export { createPreFilter, DEFAULT_DROPPED_EVENTS } from './inspect/filter.js';
export type { InspectionFilterOptions } from './inspect/filter.js';
export { toStatelyEvent } from './inspect/stately-format.js';
export { startInspectorRelay } from './inspect/relay.js';
export type { InspectorRelay, InspectorRelayOptions } from './inspect/relay.js';
export { sanitizeValue, isSecretKey } from './inspect/sanitize.js';
export type { InspectionSanitizers, SanitizeOptions } from './inspect/sanitize.js';
