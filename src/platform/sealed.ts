import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for values the database must not hold in plain text (health stories, their
 * tellers' contact details). AES-256-GCM with a fresh 96-bit nonce per value; each sealed value
 * names the key that sealed it, so a key ring (the current key first, older ones still readable)
 * lets keys be rotated value by value. The keys themselves never reach the database or the logs.
 *
 * A sealed value is text: `sealed.v1.<key id>.<nonce>.<ciphertext>.<tag>` (base64url parts). The
 * `purpose` (a table and column, say) is bound in as associated data, so a value copied into
 * another column does not open there.
 */

const VERSION = 'v1';
const PREFIX = `sealed.${VERSION}.`;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class SealedValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedValueError';
  }
}

/** One key, with the short id every value sealed under it records. */
export interface SealingKey {
  id: string;
  bytes: Buffer;
}

/** The id of a key: 8 hex characters of a hash of it (names the key without revealing it). */
export function keyIdOf(bytes: Buffer): string {
  return createHash('sha256').update('chorus sealed key id\0').update(bytes).digest('hex').slice(0, 8);
}

/** A new random key, as base64 (the form STORIES_KEY and key files hold). */
export function generateKeyText(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/** Reads one base64 key; throws a message naming `what` (never the value) when it is not 32 bytes. */
export function parseKeyText(text: string, what: string): SealingKey {
  const trimmed = text.trim();
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (bytes.length !== KEY_BYTES) throw new SealedValueError(`${what} must be base64 of exactly 32 random bytes (make one with: openssl rand -base64 32)`);
  return { id: keyIdOf(bytes), bytes };
}

/**
 * The keys a process can use: it seals with `current` and opens values sealed with any key in the
 * ring. Immutable; build a new one to change keys.
 */
export class KeyRing {
  readonly current: SealingKey;
  private readonly byId: Map<string, SealingKey>;

  constructor(current: SealingKey, older: readonly SealingKey[] = []) {
    this.current = current;
    this.byId = new Map();
    for (const key of [current, ...older]) if (!this.byId.has(key.id)) this.byId.set(key.id, key);
  }

  /** Every key id in the ring, the current one first. */
  get ids(): string[] {
    return [...this.byId.keys()];
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  sealText(plain: string, purpose: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aadFor(this.current.id, purpose));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.current.id}.${b64(nonce)}.${b64(body)}.${b64(cipher.getAuthTag())}`;
  }

  openText(sealed: string, purpose: string): string {
    const parts = parseSealed(sealed);
    const key = this.byId.get(parts.keyId);
    if (!key) throw new SealedValueError(`This value was sealed with key ${parts.keyId}, which is not in the key ring`);
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, parts.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aadFor(parts.keyId, purpose));
    decipher.setAuthTag(parts.tag);
    try {
      return Buffer.concat([decipher.update(parts.body), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedValueError('This sealed value has been altered or belongs elsewhere: it does not open');
    }
  }

  sealJson(value: unknown, purpose: string): string {
    return this.sealText(JSON.stringify(value), purpose);
  }

  openJson<T = unknown>(sealed: string, purpose: string): T {
    return JSON.parse(this.openText(sealed, purpose)) as T;
  }

  /** Seals a value that may be missing (null stays null: there is nothing to hide). */
  sealOptional(plain: string | null | undefined, purpose: string): string | null {
    return plain == null ? null : this.sealText(plain, purpose);
  }

  openOptional(sealed: string | null | undefined, purpose: string): string | null {
    return sealed == null ? null : this.openText(sealed, purpose);
  }

  /**
   * Seals bytes (a photo): `CSB1`, the key id (4 bytes), the nonce, the tag, then the ciphertext,
   * for a bytea column. The purpose is bound in as for text.
   */
  sealBytes(plain: Buffer, purpose: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(bytesAadFor(this.current.id, purpose));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([sealedBytesPrefix(this.current.id), nonce, cipher.getAuthTag(), body]);
  }

  openBytes(sealed: Buffer, purpose: string): Buffer {
    const keyId = sealedBytesKeyId(sealed);
    const key = this.byId.get(keyId);
    if (!key) throw new SealedValueError(`This value was sealed with key ${keyId}, which is not in the key ring`);
    const at = BYTES_MAGIC.length + 4;
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, sealed.subarray(at, at + NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(bytesAadFor(keyId, purpose));
    decipher.setAuthTag(sealed.subarray(at + NONCE_BYTES, at + NONCE_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(at + NONCE_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new SealedValueError('This sealed value has been altered or belongs elsewhere: it does not open');
    }
  }

  /** The same bytes sealed under the current key (unchanged when they already are). */
  resealBytes(sealed: Buffer, purpose: string): Buffer {
    if (sealedBytesKeyId(sealed) === this.current.id) return sealed;
    return this.sealBytes(this.openBytes(sealed, purpose), purpose);
  }

  /** The same value sealed under the current key (unchanged when it already is). */
  reseal(sealed: string, purpose: string): string {
    if (sealedKeyId(sealed) === this.current.id) return sealed;
    return this.sealText(this.openText(sealed, purpose), purpose);
  }
}

/** The id of the key a sealed value names (without opening it). */
export function sealedKeyId(sealed: string): string {
  return parseSealed(sealed).keyId;
}

/** True for text in the sealed form (a quick shape check, not a proof it opens). */
export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** The SQL LIKE pattern that matches values sealed under `keyId` (for finding values to re-seal). */
export function sealedUnderPattern(keyId: string): string {
  return `${PREFIX}${keyId}.%`;
}

const BYTES_MAGIC = Buffer.from('CSB1', 'ascii');

/** The first 8 bytes of every value `sealBytes` makes under `keyId` (for finding values to re-seal). */
export function sealedBytesPrefix(keyId: string): Buffer {
  return Buffer.concat([BYTES_MAGIC, Buffer.from(keyId, 'hex')]);
}

/** The id of the key sealed bytes name (without opening them). */
export function sealedBytesKeyId(sealed: Buffer): string {
  if (sealed.length < BYTES_MAGIC.length + 4 + NONCE_BYTES + TAG_BYTES || !sealed.subarray(0, BYTES_MAGIC.length).equals(BYTES_MAGIC)) {
    throw new SealedValueError('These are not sealed bytes');
  }
  return sealed.subarray(BYTES_MAGIC.length, BYTES_MAGIC.length + 4).toString('hex');
}

function bytesAadFor(keyId: string, purpose: string): Buffer {
  return Buffer.from(`bytes.${VERSION}\0${keyId}\0${purpose}`, 'utf8');
}

function aadFor(keyId: string, purpose: string): Buffer {
  return Buffer.from(`${VERSION}\0${keyId}\0${purpose}`, 'utf8');
}

const b64 = (bytes: Buffer) => bytes.toString('base64url');

function parseSealed(sealed: string): { keyId: string; nonce: Buffer; body: Buffer; tag: Buffer } {
  if (!isSealed(sealed)) throw new SealedValueError('This is not a sealed value');
  const parts = sealed.slice(PREFIX.length).split('.');
  if (parts.length !== 4 || !/^[0-9a-f]{8}$/.test(parts[0]!)) throw new SealedValueError('This sealed value is malformed');
  const [keyId, nonce, body, tag] = parts as [string, string, string, string];
  const decoded = { keyId, nonce: Buffer.from(nonce, 'base64url'), body: Buffer.from(body, 'base64url'), tag: Buffer.from(tag, 'base64url') };
  if (decoded.nonce.length !== NONCE_BYTES || decoded.tag.length !== TAG_BYTES) throw new SealedValueError('This sealed value is malformed');
  return decoded;
}
