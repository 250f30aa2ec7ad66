/**
 * A self-signed TLS certificate for the emulator on loopback (`startEmulator({ tls: true })`), so
 * clients that only speak `wss:` (the `openai` package's `OpenAIRealtimeWS`) can connect. Made with
 * the `selfsigned` package (Node's WebCrypto underneath) rather than by hand: an ECDSA P-256 key,
 * `CN=voxstate emulator`, valid for `localhost`, `127.0.0.1` and `::1`, and its own trust anchor.
 */
import { generate } from 'selfsigned';

export interface TlsCredentials {
  /** PEM certificate: give it to clients as a trusted CA (`ca`, `NODE_EXTRA_CA_CERTS`). */
  cert: string;
  /** PEM private key (PKCS #8). */
  key: string;
}

/** A fresh self-signed certificate for loopback, valid from an hour ago for `days` days. */
export async function selfSignedCertificate(days = 365): Promise<TlsCredentials> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'voxstate emulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 3_600_000),
    notAfterDate: new Date(now + days * 86_400_000),
    extensions: [
      // cA: the certificate is its own trust anchor for the clients that accept it.
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
