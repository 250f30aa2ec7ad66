/**
 * Spawning the real CLI (and the examples) with tsx, bounded, loopback only. Every child is
 * tracked so a test's afterEach can kill what a failed assertion left running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'cli/main.ts');

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();

/** An environment with no provider keys, so nothing can reach a real service by accident. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['OPENAI_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY']) delete env[key];
  return { ...env, NO_COLOR: '1', ...extra };
}

export function start(script: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Runs to completion; a child still running after `timeoutMs` is killed and the promise rejects. */
export function run(script: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Finished> {
  const child = start(script, args, options.env);
  return finish(child, options.timeoutMs ?? 30_000);
}

export const cli = (args: string[], options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }) => run(CLI, args, options);

export function finish(child: ChildProcess, timeoutMs: number): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += String(d)));
  child.stderr!.on('data', (d) => (stderr += String(d)));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** Resolves with stdout so far once it matches `pattern`. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  let seen = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in output within ${timeoutMs} ms:\n${seen}`)), timeoutMs);
    const onData = (data: Buffer) => {
      seen += String(data);
      const match = seen.match(pattern);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolvePromise(match);
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited (${code}) before ${pattern}:\n${seen}`)));
  });
}

export function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'voxstate-e2e-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
