/**
 * Turns the JWT configuration into verification and signing keys, and refuses to start without one:
 * a gateway that cannot verify tokens must not serve streams at all.
 */
import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import type { Config } from '../../core/config';
import { createUserIds, type UserIds } from '../../core/user-ids';

export type JwtConfig = Config['jwt'];
export type JwtAlgorithm = JwtConfig['algorithm'];

export interface JwtKeys {
  algorithm: JwtAlgorithm;
  verifyKey: string | KeyObject;
  /** Absent when only a public key is configured: the gateway then verifies but cannot mint tokens. */
  signKey?: string | KeyObject;
}

export class JwtConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwtConfigError';
  }
}

/** PEM from an env var may arrive with literal "\n"; restore the newlines. */
function pem(value: string): string {
  return value.includes('\\n') ? value.replace(/\\n/g, '\n') : value;
}

const MIN_SECRET_BYTES = 32;

export function loadJwtKeys(cfg: JwtConfig): JwtKeys {
  if (cfg.algorithm.startsWith('HS')) {
    if (!cfg.secret) {
      throw new JwtConfigError(
        `JWT_SECRET is not set: the gateway refuses to start without a key to verify ${cfg.algorithm} tokens`,
      );
    }
    if (Buffer.byteLength(cfg.secret) < MIN_SECRET_BYTES) {
      throw new JwtConfigError(`JWT_SECRET is too short: ${cfg.algorithm} needs at least ${MIN_SECRET_BYTES} bytes`);
    }
    // A KeyObject made once: given a string, jsonwebtoken first tries it as a PEM public key on every call
    // and builds a secret key from the thrown error's fallback, about 300 µs per verify instead of 5 µs.
    const key = createSecretKey(Buffer.from(cfg.secret, 'utf8'));
    return { algorithm: cfg.algorithm, verifyKey: key, signKey: key };
  }
  if (!cfg.publicKey) {
    throw new JwtConfigError(
      `JWT_PUBLIC_KEY is not set: the gateway refuses to start without a public key to verify ${cfg.algorithm} tokens`,
    );
  }
  let verifyKey: KeyObject;
  try {
    verifyKey = createPublicKey(pem(cfg.publicKey));
  } catch (err) {
    throw new JwtConfigError(`JWT_PUBLIC_KEY is not a valid PEM public key (${(err as Error).message})`);
  }
  const expectedType = cfg.algorithm === 'ES256' ? 'ec' : 'rsa';
  if (verifyKey.asymmetricKeyType !== expectedType) {
    throw new JwtConfigError(
      `JWT_PUBLIC_KEY is a ${verifyKey.asymmetricKeyType ?? 'unknown'} key but JWT_ALGORITHM=${cfg.algorithm} needs ${expectedType}`,
    );
  }
  let signKey: KeyObject | undefined;
  if (cfg.privateKey) {
    try {
      signKey = createPrivateKey(pem(cfg.privateKey));
    } catch (err) {
      throw new JwtConfigError(`JWT_PRIVATE_KEY is not a valid PEM private key (${(err as Error).message})`);
    }
  }
  return { algorithm: cfg.algorithm, verifyKey, signKey };
}

/**
 * The key for ws-tickets, which the gateways mint and check themselves: WS_TICKET_SECRET when set, else the
 * JWT signing key. Never one made per process: a ticket minted at one instance must verify at another.
 */
export function loadWsTicketKeys(cfg: JwtConfig, access: JwtKeys): JwtKeys {
  if (cfg.wsTicketSecret) {
    if (Buffer.byteLength(cfg.wsTicketSecret) < MIN_SECRET_BYTES)
      throw new JwtConfigError(`WS_TICKET_SECRET is too short: it needs at least ${MIN_SECRET_BYTES} bytes`);
    const key = createSecretKey(Buffer.from(cfg.wsTicketSecret, 'utf8'));
    return { algorithm: 'HS256', verifyKey: key, signKey: key };
  }
  if (access.signKey) return access;
  throw new JwtConfigError(
    `WS_TICKET_SECRET is not set: with only JWT_PUBLIC_KEY the gateway needs a shared key to sign ws-tickets`,
  );
}

/**
 * The pseudonyms of subjects that are personal data (core/user-ids.ts). Outside production the config gives a
 * fixed development secret; in production there is none unless USER_ID_SECRET is set, and a gateway that made
 * up its own would give every customer another id than its siblings (and than itself after a restart).
 */
export function loadUserIds(cfg: JwtConfig): UserIds {
  if (!cfg.userIdSecret)
    throw new JwtConfigError(
      'USER_ID_SECRET is not set: in production the gateway refuses to start without the key of the pseudonyms it gives subjects that are personal data',
    );
  return createUserIds(cfg.userIdSecret);
}
