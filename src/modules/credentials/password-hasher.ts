import { argon2id, hash, needsRehash, verify } from 'argon2';

/** Hashes passwords; both methods run off the event loop. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** `needsRehash`: the hash matched but was made with other parameters; store a new one. */
  verify(passwordHash: string, password: string): Promise<{ ok: boolean; needsRehash: boolean }>;
}

/**
 * OWASP's Password Storage Cheat Sheet, first argon2id configuration: 19 MiB, 2 iterations,
 * parallelism 1 (equivalent in strength to its 46 MiB / 1 iteration one, lighter on memory).
 */
export interface Argon2Parameters {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const OWASP_ARGON2ID: Argon2Parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * argon2id through the `argon2` package (a native addon: hashing runs on libuv's thread pool, not on
 * the event loop). Hashes are PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), so every hash
 * names its own parameters and old ones still verify after the parameters change.
 */
export class Argon2PasswordHasher implements PasswordHasher {
  private readonly options: Argon2Parameters & { type: typeof argon2id };

  constructor(parameters: Partial<Argon2Parameters> = {}) {
    this.options = { ...OWASP_ARGON2ID, ...parameters, type: argon2id };
  }

  hash(password: string): Promise<string> {
    return hash(password, this.options);
  }

  async verify(passwordHash: string, password: string): Promise<{ ok: boolean; needsRehash: boolean }> {
    try {
      if (!(await verify(passwordHash, password))) return { ok: false, needsRehash: false };
    } catch {
      // Not a hash we can read: it matches nothing.
      return { ok: false, needsRehash: false };
    }
    return { ok: true, needsRehash: needsRehash(passwordHash, this.options) };
  }
}
