import { randomInt } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import { keyedDigest } from '../credentials/tokens.js';
import type { MfaRepository } from './mfa.repository.js';
import type { EnrolmentConfirmation, MfaCheck, MfaEnrolment, MfaStatus } from './mfa.types.js';
import { SecretBox } from './secret-box.js';
import { base32Encode, matchTotp, newTotpSecret, otpauthUri } from './totp.js';

export interface MfaRepositories {
  mfa: MfaRepository;
}

/** The name authenticator apps show above the code. */
export const MFA_ISSUER = 'studio-sso';
export const RECOVERY_CODE_COUNT = 10;
/** A QR code shown but not yet confirmed stays the same for this long, so a reload shows what was scanned. */
const PENDING_REUSE_MS = 30 * 60_000;
/** No I, L, O, U, 0 or 1: nothing to misread when typing a code from paper. */
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
const RECOVERY_CODE = /^[A-Z0-9]{10}$/;

/** `ABCDE-FGHJK`: 10 characters of a 30-letter alphabet (49 bits), as the page shows them. */
const newRecoveryCode = (): string => {
  let code = '';
  for (let i = 0; i < 10; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
};

const normalizeRecoveryCode = (code: string): string => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * Multi-factor authentication with an authenticator app (TOTP, RFC 6238) and single-use recovery
 * codes. A code is accepted once: the device remembers the last time step it accepted and takes
 * only later ones, in one conditional UPDATE. Secrets are sealed at rest; recovery codes are kept
 * as keyed hashes only.
 */
export class MfaService {
  private readonly box: SecretBox;

  constructor(
    private readonly uow: UnitOfWork<MfaRepositories>,
    /** The installation's secret key: seals TOTP secrets and keys the recovery codes' hashes. */
    private readonly key: Buffer,
    private readonly clock: Clock,
  ) {
    this.box = new SecretBox(key, 'mfa totp secret');
  }

  private get repository(): MfaRepository {
    return this.uow.repositories.mfa;
  }

  async status(userId: string): Promise<MfaStatus> {
    const device = await this.repository.findDevice(userId);
    if (device?.state !== 'active') return { enrolled: false, recoveryCodesLeft: 0 };
    return {
      enrolled: true,
      activatedAt: device.activatedAt,
      recoveryCodesLeft: await this.repository.countUnusedRecoveryCodes(userId),
    };
  }

  async isEnrolled(userId: string): Promise<boolean> {
    return (await this.repository.findDevice(userId))?.state === 'active';
  }

  /**
   * A secret to register in an authenticator app; the same one for half an hour while it is not
   * confirmed. Undefined when the user already has an active device (remove it first).
   */
  async beginEnrolment(user: { userId: string; userName: string }): Promise<MfaEnrolment | undefined> {
    const now = this.clock.now();
    const device = await this.repository.findDevice(user.userId);
    if (device?.state === 'active') return undefined;
    let secret =
      device !== undefined && now.getTime() - device.createdAt.getTime() < PENDING_REUSE_MS
        ? this.box.open(device.sealedSecret, user.userId)
        : undefined;
    if (secret === undefined) {
      secret = newTotpSecret();
      const saved = await this.repository.savePendingDevice({
        userId: user.userId,
        sealedSecret: this.box.seal(secret, user.userId),
        state: 'pending',
        createdAt: now,
      });
      if (!saved) return undefined;
    }
    return {
      secret: base32Encode(secret),
      otpauthUri: otpauthUri({ issuer: MFA_ISSUER, account: user.userName, secret }),
    };
  }

  /** Confirms the pending device with a code from it; then the recovery codes are made (shown once). */
  async confirmEnrolment(userId: string, code: string): Promise<EnrolmentConfirmation> {
    const device = await this.repository.findDevice(userId);
    if (device?.state !== 'pending') return { result: 'no-enrolment' };
    const secret = this.box.open(device.sealedSecret, userId);
    if (secret === undefined) return { result: 'no-enrolment' };
    const now = this.clock.now();
    const step = matchTotp(secret, code.replace(/\s+/g, ''), now.getTime());
    if (step === undefined) return { result: 'wrong' };
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const activated = await this.uow.transaction(async ({ mfa }) => {
      if (!(await mfa.activateDevice(userId, device.sealedSecret, step, now))) return false;
      await mfa.replaceRecoveryCodes(
        userId,
        recoveryCodes.map((c) => this.recoveryHash(userId, c)),
        now,
      );
      return true;
    });
    return activated ? { result: 'enrolled', recoveryCodes } : { result: 'no-enrolment' };
  }

  /** Checks a code from the authenticator app, or a recovery code (used up). */
  async verify(userId: string, code: string): Promise<MfaCheck> {
    const device = await this.repository.findDevice(userId);
    if (device?.state !== 'active') return { result: 'not-enrolled' };
    const typed = code.replace(/\s+/g, '');
    const now = this.clock.now();
    if (/^\d{6}$/.test(typed)) {
      const secret = this.box.open(device.sealedSecret, userId);
      const step = secret === undefined ? undefined : matchTotp(secret, typed, now.getTime());
      if (step === undefined) return { result: 'wrong' };
      if (!(await this.repository.useTimeStep(userId, step))) return { result: 'replayed' };
      return {
        result: 'ok',
        method: 'totp',
        recoveryCodesLeft: await this.repository.countUnusedRecoveryCodes(userId),
      };
    }
    const normalized = normalizeRecoveryCode(typed);
    if (!RECOVERY_CODE.test(normalized)) return { result: 'wrong' };
    if (!(await this.repository.useRecoveryCode(userId, this.recoveryHash(userId, normalized), now))) {
      return { result: 'wrong' };
    }
    return {
      result: 'ok',
      method: 'recovery-code',
      recoveryCodesLeft: await this.repository.countUnusedRecoveryCodes(userId),
    };
  }

  /** New recovery codes for an enrolled user; the old ones stop working. Undefined when not enrolled. */
  async regenerateRecoveryCodes(userId: string): Promise<string[] | undefined> {
    if (!(await this.isEnrolled(userId))) return undefined;
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.uow.transaction(({ mfa }) =>
      mfa.replaceRecoveryCodes(
        userId,
        recoveryCodes.map((c) => this.recoveryHash(userId, c)),
        this.clock.now(),
      ),
    );
    return recoveryCodes;
  }

  /** Removes the user's authenticator app and recovery codes; false when there was none. */
  async remove(userId: string): Promise<boolean> {
    return this.uow.transaction(async ({ mfa }) => {
      await mfa.deleteRecoveryCodes(userId);
      return mfa.deleteDevice(userId);
    });
  }

  private recoveryHash(userId: string, code: string): string {
    return keyedDigest(this.key, 'mfa-recovery-code', userId, normalizeRecoveryCode(code));
  }
}
