/**
 * Spans for one session, from the events it publishes: a session span; under it one span per
 * connection and one per resumption; under a connection one span per response (`chat {model}`)
 * and per tool call (`execute_tool {tool}`, with the approval wait as a child span). Audio is never
 * a span: the first audio of a response is a span event. Attributes carry ids, names, statuses,
 * timings and token counts; transcripts and tool arguments only with `captureTranscripts`.
 */
import type { Attributes, OtelContext, OtelSpan as Span, OtelTracer as Tracer } from './otel-types.js';
import type { AnySessionEvent } from '../session/event-map.js';
import { ATTR, OPERATION, SPAN, responseSpanName, toolSpanName } from './attributes.js';
import type { OtelApi } from './otel-api.js';

/** `SpanStatusCode.ERROR` and `SpanKind.CLIENT` of the API (numeric enums, stable since 1.0). */
const STATUS_ERROR = 2;
const KIND_CLIENT = 2;

export interface TracingInput {
  api: OtelApi;
  tracer: Tracer;
  /** Attributes every span carries (provider, model, conversation id). */
  common: Attributes;
  model: string;
  captureTranscripts: boolean;
  /** The context the session span is a child of (the active one when the session was created). */
  parent: OtelContext;
  /** voxstate's session id, `gen_ai.conversation.id` on the session span. */
  conversationId: string;
  /** The tool's name as it may appear in span names (`unknown` for a name the model made up). */
  toolLabel: (name: string) => string;
}

/** `voxstate.tool.decision` when the approval wait ended without the application's verb (a timeout, a close, a cancelled call). */
const NO_DECISION = 'none';
/** `error.type` of a response whose connection ended before it did (no error known for the connection). */
const CONNECTION_ENDED = 'connection_ended';

export class SessionTracing {
  private readonly session: Span;
  private connection: Span | undefined;
  private resumption: Span | undefined;
  private response: Span | undefined;
  private responseHasAudio = false;
  private speechStoppedAt: number | undefined;
  /** The error code the session failed with (it rests in `failed`), until a connect opens again. */
  private failure: string | undefined;
  private readonly tools = new Map<string, { span: Span; approval: Span | undefined }>();

  constructor(private readonly input: TracingInput, at: number) {
    this.session = input.tracer.startSpan(SPAN.session, { attributes: { ...input.common, [ATTR.conversationId]: input.conversationId }, startTime: at }, input.parent);
  }

  private child(parent: Span, name: string, attributes: Attributes, at: number, kind?: number): Span {
    const ctx = this.input.api.trace.setSpan(this.input.parent, parent);
    return this.input.tracer.startSpan(name, { attributes: { ...this.input.common, ...attributes }, startTime: at, ...(kind === undefined ? {} : { kind }) }, ctx);
  }

  /** A connection attempt starts (`initial`, or a swap's reason). */
  connecting(reason: string, connectionId: number, at: number, previousError?: string): void {
    this.endConnection(at, previousError);
    if (reason !== 'initial') this.resumption ??= this.child(this.session, SPAN.resumption, { [ATTR.swapReason]: reason }, at);
    this.connection = this.child(this.session, SPAN.connection, { [ATTR.connectReason]: reason, [ATTR.connectionId]: connectionId }, at, KIND_CLIENT);
  }

  /** The connection is gone (swap, failure, close); `error`: the code of what ended it, if it failed. */
  disconnected(at: number, error?: string): void {
    this.endConnection(at, error);
  }

  observe(event: AnySessionEvent, at: number): void {
    switch (event.type) {
      case 'connected':
        this.connection?.setAttributes({ [ATTR.connectionId]: event.connectionId, ...(event.providerSessionId ? { [ATTR.providerSessionId]: event.providerSessionId } : {}) });
        this.connection?.addEvent('connected', {}, at);
        return;
      case 'session_resumed':
        this.connection?.setAttributes({ [ATTR.connectionId]: event.connectionId });
        this.resumption?.setAttributes({ [ATTR.connectionId]: event.connectionId, [ATTR.swapOutcome]: 'resumed', [ATTR.contextRestored]: event.restored });
        this.resumption?.end(at);
        this.resumption = undefined;
        return;
      case 'resumption_failed':
        this.resumption?.setAttributes({ [ATTR.swapOutcome]: 'failed', [ATTR.errorType]: event.error.code });
        this.resumption?.setStatus({ code: STATUS_ERROR, message: event.error.code });
        this.resumption?.end(at);
        this.resumption = undefined;
        return;
      case 'speech_stopped':
        this.speechStoppedAt = at;
        return;
      case 'response_created':
        this.endResponse(at);
        this.response = this.child(this.connection ?? this.session, responseSpanName(this.input.model), { [ATTR.operationName]: OPERATION.chat, ...(event.responseId ? { [ATTR.responseId]: event.responseId } : {}) }, at, KIND_CLIENT);
        this.responseHasAudio = false;
        return;
      case 'audio':
        if (!this.response || this.responseHasAudio) return;
        this.responseHasAudio = true;
        this.response.addEvent('first_audio', this.speechStoppedAt === undefined ? {} : { [ATTR.timeToFirstAudioMs]: at - this.speechStoppedAt }, at);
        this.speechStoppedAt = undefined;
        return;
      case 'transcript':
        if (this.input.captureTranscripts && event.isFinal) (this.response ?? this.session).addEvent('transcript', { 'voxstate.role': event.role, [ATTR.transcript]: event.text }, at);
        return;
      case 'interrupted':
        (this.response ?? this.connection ?? this.session).addEvent('interrupted', { [ATTR.interruptSource]: event.source }, at);
        return;
      case 'usage':
        this.response?.setAttributes({
          ...(event.inputTokens === undefined ? {} : { [ATTR.inputTokens]: event.inputTokens }),
          ...(event.outputTokens === undefined ? {} : { [ATTR.outputTokens]: event.outputTokens }),
        });
        return;
      case 'response_done':
        this.response?.setAttributes({
          [ATTR.responseStatus]: event.status,
          [ATTR.finishReasons]: [event.reason ?? event.status],
          ...(event.requestId ? { [ATTR.requestId]: event.requestId } : {}),
        });
        if (event.status === 'failed') {
          const code = event.statusDetails?.error?.code ?? 'failed';
          this.response?.setAttributes({ [ATTR.errorType]: code });
          this.response?.setStatus({ code: STATUS_ERROR, message: code });
        }
        this.endResponse(at);
        return;
      case 'tool_call': {
        const name = this.input.toolLabel(event.name);
        const span = this.child(this.connection ?? this.session, toolSpanName(name), {
          [ATTR.operationName]: OPERATION.executeTool,
          [ATTR.toolName]: name,
          [ATTR.toolCallId]: event.callId,
          [ATTR.toolType]: 'function',
          ...(this.input.captureTranscripts ? { [ATTR.toolArguments]: event.arguments } : {}),
        }, at);
        this.tools.set(event.callId, { span, approval: undefined });
        return;
      }
      case 'tool_approval_requested': {
        const tool = this.tools.get(event.callId);
        if (tool && !tool.approval) tool.approval = this.child(tool.span, SPAN.approval, { [ATTR.toolName]: event.name, [ATTR.toolCallId]: event.callId }, at);
        return;
      }
      case 'tool_result': {
        const tool = this.tools.get(event.callId);
        if (!tool) return;
        // The application's verb ended the wait already (decided); a wait still open ended without one.
        this.decided(event.callId, NO_DECISION, at);
        this.tools.delete(event.callId);
        tool.span.setAttributes({ [ATTR.toolStatus]: event.status, 'voxstate.tool.delivered': event.delivered });
        if (event.status !== 'succeeded') {
          tool.span.setAttributes({ [ATTR.errorType]: event.status });
          tool.span.setStatus({ code: STATUS_ERROR, message: event.status });
        }
        tool.span.end(at);
        return;
      }
      case 'truncated':
        (this.response ?? this.connection ?? this.session).addEvent('truncated', { 'voxstate.item.id': event.itemId, 'voxstate.played_ms': event.playedMs, 'voxstate.received_ms': event.receivedMs }, at);
        return;
      case 'error':
        this.session.addEvent('error', { [ATTR.errorType]: event.error.code }, at);
        return;
      default:
        return;
    }
  }

  /** The application approved or rejected a call (or the wait ended without a decision, `none`): its approval wait ends. */
  decided(callId: string, decision: 'approved' | 'rejected' | typeof NO_DECISION, at: number): void {
    const tool = this.tools.get(callId);
    const approval = tool?.approval;
    if (!tool || !approval) return;
    approval.setAttributes({ 'voxstate.tool.decision': decision });
    approval.end(at);
    tool.approval = undefined;
  }

  /** The session entered `failed` with this error code, or left it (`undefined`): the session span's status at its end. */
  failed(error: string | undefined): void {
    this.failure = error;
  }

  /** Ends every open span (the session is over). Idempotent. */
  end(at: number): void {
    if (this.failure && this.session.isRecording()) {
      this.session.setAttributes({ [ATTR.errorType]: this.failure });
      this.session.setStatus({ code: STATUS_ERROR, message: this.failure });
    }
    for (const { span, approval } of this.tools.values()) {
      approval?.setAttributes({ 'voxstate.tool.decision': NO_DECISION });
      approval?.end(at);
      span.setAttributes({ [ATTR.toolStatus]: 'unanswered' });
      span.end(at);
    }
    this.tools.clear();
    this.endConnection(at);
    this.resumption?.end(at);
    this.resumption = undefined;
    if (this.session.isRecording()) this.session.end(at);
  }

  /**
   * Telemetry failed (a tracer or meter threw): ends every span still open, best effort, each on
   * its own, so a span that throws does not keep the others open. Nothing more is recorded.
   */
  abandon(at: number): void {
    const open: Array<Span | undefined> = [];
    for (const { span, approval } of this.tools.values()) open.push(approval, span);
    open.push(this.response, this.connection, this.resumption, this.session);
    this.tools.clear();
    this.response = this.connection = this.resumption = undefined;
    for (const span of open) {
      try {
        span?.end(at);
      } catch {
        // best effort: the next span still ends
      }
    }
  }

  /** Totals for the session span, set before it ends. */
  annotate(attributes: Attributes): void {
    if (this.session.isRecording()) this.session.setAttributes(attributes);
  }

  private endResponse(at: number): void {
    this.response?.end(at);
    this.response = undefined;
  }

  private endConnection(at: number, error?: string): void {
    // A response still open was cut off with its connection: it never got its response_done.
    if (this.response) {
      const type = error ?? CONNECTION_ENDED;
      this.response.setAttributes({ [ATTR.responseStatus]: 'incomplete', [ATTR.finishReasons]: ['incomplete'], [ATTR.errorType]: type });
      this.response.setStatus({ code: STATUS_ERROR, message: type });
    }
    this.endResponse(at);
    if (!this.connection) return;
    if (error) {
      this.connection.setAttributes({ [ATTR.errorType]: error });
      this.connection.setStatus({ code: STATUS_ERROR, message: error });
    }
    this.connection.end(at);
    this.connection = undefined;
  }
}
