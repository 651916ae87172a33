import type { MfaDevice } from './mfa.types.js';

/**
 * Storage port of authenticator apps and recovery codes. Accepting a code, confirming a device and
 * using a recovery code are each one conditional UPDATE, so two requests racing with the same code
 * cannot both succeed.
 */
export interface MfaRepository {
  findDevice(userId: string): Promise<MfaDevice | undefined>;
  /** Stores a pending device, replacing a pending one; false when the user has an active one. */
  savePendingDevice(device: MfaDevice): Promise<boolean>;
  /**
   * Activates the pending device whose sealed secret is `sealedSecret`, recording `timeStep` as used;
   * false when it is no longer that pending device.
   */
  activateDevice(userId: string, sealedSecret: string, timeStep: number, at: Date): Promise<boolean>;
  /** Records `timeStep` as used if no later or equal step was: false for a replayed code. */
  useTimeStep(userId: string, timeStep: number): Promise<boolean>;
  deleteDevice(userId: string): Promise<boolean>;

  /** Replaces every recovery code of the user. */
  replaceRecoveryCodes(userId: string, codeHashes: string[], at: Date): Promise<void>;
  /** Marks the code used if it is the user's and unused; false otherwise. */
  useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean>;
  countUnusedRecoveryCodes(userId: string): Promise<number>;
  deleteRecoveryCodes(userId: string): Promise<void>;
}
