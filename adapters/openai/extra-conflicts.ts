/**
 * `extra` may tune the session object voxstate builds (noise reduction, VAD threshold, tracing…),
 * but not contradict what the adapter relies on while the session runs:
 *
 * - the audio formats: audio in is sent, and audio out decoded, as PCM16 24 kHz;
 * - the output modality: the session's `outputModality` decides whether audio is expected;
 * - the turn detection type, or turning it on or off: the session's `turnDetection` decides who
 *   commits audio and asks for responses, and whether user speech interrupts;
 * - the GA session `type` (`realtime`): a transcription session never answers.
 *
 * Such an `extra` is a config error naming the field, before anything is sent.
 */
import type { SessionConfig } from '../../config.js';
import type { ErrorInfo } from '../../errors.js';
import { toBetaSession, toGASession } from './map.js';
import type { OpenAIProtocol } from './wire.js';

type Json = Record<string, unknown>;

const GUARDED: Record<OpenAIProtocol, readonly string[]> = {
  ga: [
    'type',
    'output_modalities',
    'audio.input.format',
    'audio.output.format',
    'audio.input.turn_detection',
    'audio.input.turn_detection.type',
  ],
  beta: ['modalities', 'input_audio_format', 'output_audio_format', 'turn_detection', 'turn_detection.type'],
};

function at(value: unknown, path: string): { found: boolean; value: unknown } {
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || !(key in (current as Json))) return { found: false, value: undefined };
    current = (current as Json)[key];
  }
  return { found: true, value: current };
}

/** Whether `extra` sets `path` to something other than what voxstate built (objects: any field differs). */
function contradicts(built: unknown, extraValue: unknown): boolean {
  if (built === null || extraValue === null || typeof built !== 'object' || typeof extraValue !== 'object') {
    return JSON.stringify(built) !== JSON.stringify(extraValue);
  }
  if (Array.isArray(built) || Array.isArray(extraValue)) return JSON.stringify(built) !== JSON.stringify(extraValue);
  return Object.entries(extraValue as Json).some(([key, value]) => {
    const mine = (built as Json)[key];
    // A field voxstate did not set is extra's to add.
    if (mine === undefined) return false;
    return contradicts(mine, value);
  });
}

/**
 * The first field of `config.extra` that contradicts the session object built from `config`
 * (`built`, before the merge), as an `invalid_config` error; undefined when there is none.
 */
function extraConflict(config: SessionConfig, built: object, protocol: OpenAIProtocol): ErrorInfo | undefined {
  if (!config.extra) return undefined;
  for (const path of GUARDED[protocol]) {
    const fromExtra = at(config.extra, path);
    if (!fromExtra.found) continue;
    const mine = at(built, path);
    if (path.endsWith('turn_detection')) {
      // On/off is the session's: null in one and an object in the other is a contradiction.
      if ((mine.value === null || !mine.found) !== (fromExtra.value === null)) return conflict(path, config);
      continue;
    }
    if (contradicts(mine.value, fromExtra.value)) return conflict(path, config);
  }
  return undefined;
}

function conflict(path: string, config: SessionConfig): ErrorInfo {
  const owner = path.includes('turn_detection')
    ? `turnDetection (${config.turnDetection.type})`
    : path.includes('modalities')
      ? `outputModality (${config.outputModality})`
      : path === 'type'
        ? 'the realtime session type'
        : 'the PCM16 24 kHz audio voxstate streams';
  return {
    code: 'invalid_config',
    message: `extra.${path} contradicts ${owner}; set it through the session config instead`,
    param: `extra.${path}`,
  };
}

/** The `extra` conflict of a whole config: the session object is built without `extra` and compared. */
export function configConflict(config: SessionConfig, protocol: OpenAIProtocol): ErrorInfo | undefined {
  if (!config.extra) return undefined;
  const withoutExtra = { ...config, extra: undefined };
  const built = protocol === 'beta' ? toBetaSession(withoutExtra, { includeVoice: true }) : toGASession(withoutExtra, { includeVoice: true });
  return extraConflict(config, built, protocol);
}
