/**
 * User audio for byte-counting tests: quiet (below the emulator's speech threshold, so no turn
 * starts and the session stays idle) and counting up sample by sample, so a lost or reordered
 * chunk shows when what the emulator received is compared with what was sent.
 */
export function quietAudio(state: { next: number }, bytes: number): Buffer {
  const pcm = Buffer.alloc(bytes);
  for (let i = 0; i < bytes / 2; i++) pcm.writeInt16LE(state.next++ % 300, i * 2);
  return pcm;
}
