/**
 * A self-signed TLS certificate for the emulator on loopback (`startEmulator({ tls: true })`), so
 * clients that only speak `wss:` (the `openai` package's `OpenAIRealtimeWS`) can connect.
 *
 * Node can make key pairs but not certificates, no certificate library is a dependency, and the
 * `openssl` command is not installed on every machine (Debian ships it as "optional"). An X.509
 * certificate is a small DER structure, so it is built here: an ECDSA P-256 key, subject and issuer
 * `CN=voxstate emulator`, subjectAltName `localhost`, `127.0.0.1` and `::1`, signed with SHA-256.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

export interface TlsCredentials {
  /** PEM certificate: give it to clients as a trusted CA (`ca`, `NODE_EXTRA_CA_CERTS`). */
  cert: string;
  /** PEM private key (PKCS #8). */
  key: string;
}

// ── DER encoding (only what a certificate needs) ──

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const sequence = (...content: Buffer[]): Buffer => tlv(0x30, ...content);
const set = (...content: Buffer[]): Buffer => tlv(0x31, ...content);
const octetString = (content: Buffer): Buffer => tlv(0x04, content);
const bitString = (content: Buffer): Buffer => tlv(0x03, Buffer.from([0]), content);
const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
/** `[n]` EXPLICIT (constructed, context-specific). */
const explicit = (n: number, content: Buffer): Buffer => tlv(0xa0 | n, content);

function integer(value: Buffer): Buffer {
  let i = 0;
  while (i < value.length - 1 && value[i] === 0) i++;
  const trimmed = value.subarray(i);
  return tlv(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a! + b!];
  for (const part of rest) {
    const groups: number[] = [];
    for (let v = part; ; v = Math.floor(v / 128)) {
      groups.unshift((v & 0x7f) | (groups.length ? 0x80 : 0));
      if (v < 128) break;
    }
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime `YYMMDDHHMMSSZ` (valid for years before 2050, which covers these short-lived certificates). */
function utcTime(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-12-02T05:40:07.000Z
  const text = iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const COMMON_NAME = '2.5.4.3';
const SUBJECT_ALT_NAME = '2.5.29.17';
const BASIC_CONSTRAINTS = '2.5.29.19';

/** A fresh self-signed certificate for loopback, valid from an hour ago for `days` days. */
export function selfSignedCertificate(days = 365): TlsCredentials {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = sequence(set(sequence(oid(COMMON_NAME), utf8('voxstate emulator'))));
  const now = Date.now();
  const altNames = sequence(
    tlv(0x82, Buffer.from('localhost', 'ascii')), // dNSName
    tlv(0x87, Buffer.from([127, 0, 0, 1])), // iPAddress
    tlv(0x87, Buffer.concat([Buffer.alloc(15), Buffer.from([1])])), // ::1
  );
  const extensions = sequence(
    sequence(oid(SUBJECT_ALT_NAME), octetString(altNames)),
    // cA: true, critical: the certificate is its own trust anchor for the clients that accept it.
    sequence(oid(BASIC_CONSTRAINTS), tlv(0x01, Buffer.from([0xff])), octetString(sequence(tlv(0x01, Buffer.from([0xff]))))),
  );
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])), // positive, unique serial
    ECDSA_WITH_SHA256,
    name,
    sequence(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + days * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey); // DER ECDSA-Sig-Value
  const der = sequence(tbs, ECDSA_WITH_SHA256, bitString(signature));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
