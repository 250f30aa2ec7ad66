/** `startEmulator({ tls })`: wss with a generated self-signed certificate, or the caller's own; typed options. */
import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../emulator/index.js';
import { selfSignedCertificate } from '../../emulator/self-signed.js';

let emulator: Emulator | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await emulator?.close();
  emulator = undefined;
});

/** The first frame on a new connection, or the connection error. */
function firstFrame(url: string, options: WebSocket.ClientOptions): Promise<Record<string, any>> {
  const ws = new WebSocket(url, { headers: { Authorization: 'Bearer sk-x-12345678' }, ...options });
  sockets.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data))));
    ws.once('error', reject);
    setTimeout(() => reject(new Error('no frame')), 3000);
  });
}

describe('emulator TLS', () => {
  it('tls: true serves wss with a generated certificate for loopback, which clients trust through ca', async () => {
    const options: StartEmulatorOptions = { tls: true };
    // @ts-expect-error a misspelt option does not compile: StartEmulatorOptions has no index signature
    const typo: StartEmulatorOptions = { tsl: true };
    expect(typo).not.toHaveProperty('tls');
    emulator = await startEmulator(options);
    expect(emulator.baseUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.openaiUrl.startsWith('wss://')).toBe(true);
    expect(emulator.geminiUrl.startsWith('wss://')).toBe(true);
    const cert = new X509Certificate(emulator.certificate!);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.verify(cert.publicKey)).toBe(true); // self-signed

    expect(await firstFrame(emulator.openaiUrl, { ca: emulator.certificate })).toMatchObject({ type: 'session.created' });
    // Trust is real: without the certificate the handshake is refused.
    await expect(firstFrame(emulator.openaiUrl, {})).rejects.toThrow(/self[- ]signed/i);
    const localhost = emulator.openaiUrl.replace('127.0.0.1', 'localhost');
    expect(await firstFrame(localhost, { ca: emulator.certificate })).toMatchObject({ type: 'session.created' });
  });

  it('tls: { cert, key } presents the given certificate', async () => {
    const mine = await selfSignedCertificate(1);
    emulator = await startEmulator({ tls: mine });
    expect(emulator.certificate).toBe(mine.cert);
    expect(await firstFrame(emulator.openaiUrl, { ca: mine.cert })).toMatchObject({ type: 'session.created' });
    // Another certificate does not vouch for this server.
    await expect(firstFrame(emulator.openaiUrl, { ca: (await selfSignedCertificate(1)).cert })).rejects.toThrow();
  });

  it('without tls it serves plain ws and has no certificate', async () => {
    emulator = await startEmulator();
    expect(emulator.baseUrl).toMatch(/^ws:\/\//);
    expect(emulator.certificate).toBeUndefined();
    expect(await firstFrame(emulator.openaiUrl, {})).toMatchObject({ type: 'session.created' });
  });
});
