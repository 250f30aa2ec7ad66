/**
 * A `setup` whose merged `extra` contradicts how the adapter will drive the session. The adapter
 * sends `activityStart`/`activityEnd` exactly when the canonical config asks for manual activity
 * (`turnDetection: {type: 'none'}`), and the server accepts those only while automatic activity
 * detection is disabled (it closes with 1007 otherwise); with detection disabled and no manual
 * activity, nothing ever ends the user's turn. Likewise `generationConfig.responseModalities` must
 * be what `outputModality` asks for (the adapter expects audio, or text, accordingly). Rather than
 * send contradictory frames, the connection fails with an `invalid_config` error naming the field.
 */
import type { ErrorInfo } from '../../errors.js';
import type { SessionConfig } from '../../config.js';
import type { JsonObject } from './wire.js';

const FIELD = 'extra.realtimeInputConfig.automaticActivityDetection.disabled';

export function setupConflict(setup: JsonObject, config: Pick<SessionConfig, 'turnDetection' | 'outputModality'>): ErrorInfo | undefined {
  // The session's outputModality decides whether audio is expected (and transcribed); extra may not flip it.
  const modalities = record(setup['generationConfig'])['responseModalities'];
  const expected = config.outputModality === 'audio' ? 'AUDIO' : 'TEXT';
  if (!Array.isArray(modalities) || modalities.length !== 1 || modalities[0] !== expected) {
    return {
      code: 'invalid_config',
      param: 'extra.generationConfig.responseModalities',
      message: `extra.generationConfig.responseModalities is ${JSON.stringify(modalities)}, but outputModality is '${config.outputModality}' (['${expected}']): set it through outputModality instead`,
    };
  }
  const detection = record(record(setup['realtimeInputConfig'])['automaticActivityDetection']);
  const disabled = detection['disabled'] === true;
  const manual = config.turnDetection.type === 'none';
  if (manual && !disabled) {
    return {
      code: 'invalid_config',
      param: FIELD,
      message: `${FIELD} is ${JSON.stringify(detection['disabled'])}, but turnDetection is {type:'none'}: voxstate drives manual activity (activityStart/activityEnd), which Gemini accepts only with automatic detection disabled`,
    };
  }
  if (!manual && disabled) {
    return {
      code: 'invalid_config',
      param: FIELD,
      message: `${FIELD} is true, but turnDetection is '${config.turnDetection.type}': nothing would end the user's turn (use turnDetection {type:'none'} for manual activity)`,
    };
  }
  return undefined;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
