/** Every program in examples/ runs to completion on its own emulator and prints what it shows. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, killAll, ROOT, run } from './processes.js';

afterAll(killAll);

const env = (() => {
  const clean = cleanEnv();
  delete clean['VOXSTATE_OPENAI_URL'];
  return clean;
})();

describe.concurrent('examples', { timeout: 60_000 }, () => {
  it('minimal-session: one text turn, a spoken answer', async () => {
    const result = await run(join(ROOT, 'examples/minimal-session.ts'), [], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^assistant: You said: Hello, who am I talking to\?/m);
    expect(result.stdout).toMatch(/received [1-9]\d*\.\d s of 24 kHz audio/);
  });

  it('weather (the README program): a tool call, then a spoken answer', async () => {
    const result = await run(join(ROOT, 'examples/weather.ts'), [], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('tool: get_weather → {"city":"Paris","sky":"sunny","celsius":21}');
    expect(result.stdout).toMatch(/^assistant: .*sunny/m);
    expect(result.stdout).toMatch(/^audio: [1-9]\d*\.\d s$/m);
  });

  it('tools-with-approval: small refund runs, 150 is approved, 900 is rejected', async () => {
    const result = await run(join(ROOT, 'examples/tools-with-approval.ts'), [], { env });
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toContain('tool result: succeeded {"refunded":40,"customer":"Alice"');
    expect(out).not.toMatch(/approval needed: issue_refund \{"customer":"Alice"/);
    expect(out).toContain('approval needed: issue_refund {"customer":"Bob","amount":150} → approved');
    expect(out).toContain('approval needed: issue_refund {"customer":"Carol","amount":900} → rejected');
    expect(out).toMatch(/tool result: rejected .*Refunds over 500 need a manager/);
  });

  it('call-routing: alice goes triage → billing, bob stays in triage, both hang up', async () => {
    const result = await run(join(ROOT, 'examples/call-routing.ts'), [], { env });
    expect(result.code).toBe(0);
    const alice = result.stdout.split('\n').filter((l) => l.startsWith('[alice]'));
    expect(alice).toEqual([
      '[alice] connected to triage',
      '[alice] transfer requested → updating the session',
      '[alice] now talking to billing',
      '[alice] billing answered, hanging up',
      '[alice] hung up',
    ]);
    expect(result.stdout).toContain('[bob] triage answered, hanging up');
    expect(result.stdout).toMatch(/switchboard: both calls ended\n$/);
  });
});
