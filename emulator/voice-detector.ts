/**
 * The emulator's voice activity detector, shared by the OpenAI and Gemini sides: an energy
 * threshold, not speech recognition. A frame louder than the RMS threshold starts speech (or keeps
 * it going); quiet frames adding up to the silence limit end it. The caller decides what starting
 * and ending mean on its wire (OpenAI: `speech_started`/`speech_stopped` and a commit; Gemini: an
 * interruption and a user turn).
 */
import { rms } from './speech.js';

export type VoiceChange = 'speechStarted' | 'speechEnded';

export class VoiceDetector {
  /** True from the frame that started speech until the silence (or `end()`) that ended it. */
  speaking = false;
  /** Audio heard as speech since speech started, in ms: loud frames, or every frame `extend`ed. */
  speechMs = 0;
  private silenceMs = 0;

  /** `rmsThreshold`: the level (0..32767) above which a PCM16 frame counts as speech. */
  constructor(private readonly rmsThreshold: number) {}

  /**
   * Hears one PCM16 LE frame lasting `frameMs`; `silenceLimitMs` of quiet frames ends speech.
   * Returns the change this frame made, if any.
   */
  hear(pcm: Buffer, frameMs: number, silenceLimitMs: number): VoiceChange | undefined {
    if (rms(pcm) > this.rmsThreshold) {
      const started = !this.speaking;
      if (started) this.start();
      this.speechMs += frameMs;
      this.silenceMs = 0;
      return started ? 'speechStarted' : undefined;
    }
    if (!this.speaking) return undefined;
    this.silenceMs += frameMs;
    if (this.silenceMs < silenceLimitMs) return undefined;
    this.speaking = false;
    return 'speechEnded';
  }

  /** Starts speech whatever the level (manual activity, or the first loud frame). */
  start(): void {
    this.speaking = true;
    this.speechMs = 0;
    this.silenceMs = 0;
  }

  /** Counts `frameMs` of speech whatever its level (manual activity). */
  extend(frameMs: number): void {
    if (this.speaking) this.speechMs += frameMs;
  }

  /** Ends speech without a silence (a commit, a cleared buffer, manual activity end). */
  end(): void {
    this.speaking = false;
    this.silenceMs = 0;
  }
}
