/** What voxstate's default logger writes to stderr, captured for a test (other writes pass through). */
import { vi } from 'vitest';

export function captureStderr(): string[] {
  const lines: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    const text = String(chunk);
    if (text.startsWith('voxstate ')) {
      lines.push(text);
      return true;
    }
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write);
  return lines;
}
