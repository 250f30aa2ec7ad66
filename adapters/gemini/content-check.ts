/**
 * A hand-written check for the Gemini message that arrives many times per turn: `serverContent`
 * (model-turn audio and text parts, transcriptions, turn flags), optionally with `usageMetadata`.
 * It skips zod's `safeParse` of the whole message on the audio path (issue 15) and allocates
 * nothing. It accepts exactly a subset of what `ServerMessageSchema` (wire.ts) accepts, and what
 * it accepts zod would return unchanged (loose objects, no defaults on these keys); any other
 * message, and any it refuses, goes through zod as before, for the same `invalid_frame` error.
 */
import type { ServerMessage } from './wire.js';

type Json = Record<string, unknown>;

/** What `z.looseObject` takes: an object, not null, not an array. */
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';
const optionalBoolean = (value: unknown): boolean => value === undefined || typeof value === 'boolean';
const optionalNumber = (value: unknown): boolean => value === undefined || typeof value === 'number';

function isBlob(value: unknown): boolean {
  return value === undefined || (isObject(value) && optionalString(value['mimeType']) && optionalString(value['data']));
}

function isPart(value: unknown): boolean {
  return isObject(value) && optionalString(value['text']) && optionalBoolean(value['thought']) && isBlob(value['inlineData']);
}

function isModelTurn(value: unknown): boolean {
  if (value === undefined) return true;
  if (!isObject(value) || !optionalString(value['role'])) return false;
  const parts = value['parts'];
  if (parts === undefined) return true;
  if (!Array.isArray(parts)) return false;
  for (const part of parts) if (!isPart(part)) return false;
  return true;
}

const isTranscription = (value: unknown): boolean => value === undefined || (isObject(value) && optionalString(value['text']));

function isServerContent(value: unknown): boolean {
  return (
    isObject(value) &&
    isModelTurn(value['modelTurn']) &&
    optionalBoolean(value['turnComplete']) &&
    optionalBoolean(value['generationComplete']) &&
    optionalBoolean(value['interrupted']) &&
    isTranscription(value['inputTranscription']) &&
    isTranscription(value['outputTranscription']) &&
    optionalString(value['turnCompleteReason']) &&
    optionalBoolean(value['waitingForInput'])
  );
}

function isUsage(value: unknown): boolean {
  return (
    value === undefined ||
    (isObject(value) && optionalNumber(value['promptTokenCount']) && optionalNumber(value['responseTokenCount']) && optionalNumber(value['totalTokenCount']))
  );
}

/** The message as `ServerMessage` when it is a valid content message; undefined: let zod decide. */
export function contentMessage(json: unknown): ServerMessage | undefined {
  if (!isObject(json) || json['serverContent'] === undefined) return undefined;
  // Any other declared key (setupComplete, toolCall with its defaults, …): the zod path.
  if (
    json['setupComplete'] !== undefined ||
    json['toolCall'] !== undefined ||
    json['toolCallCancellation'] !== undefined ||
    json['goAway'] !== undefined ||
    json['sessionResumptionUpdate'] !== undefined
  ) {
    return undefined;
  }
  return isServerContent(json['serverContent']) && isUsage(json['usageMetadata']) ? (json as ServerMessage) : undefined;
}
