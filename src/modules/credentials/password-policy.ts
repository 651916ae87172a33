import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The password policy of NIST SP 800-63B (§3.1.1.2) instead of AWS's composition rules: a minimum
 * length, a generous maximum, any Unicode character, no truncation, no "one upper-case letter, one
 * digit…" rules, and a refusal of passwords that are common, breached, or guessable from context.
 * Each refusal says exactly what to change.
 */
export interface PasswordPolicy {
  minLength: number;
  /** Far above what anyone types, but bounded so that hashing cost is bounded too. */
  maxLength: number;
  /** How many of the user's most recent passwords a new one may not repeat. */
  historySize: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 12, maxLength: 256, historySize: 3 };

/** Never shorter than NIST's floor; never a maximum under the 64 characters NIST asks to allow. */
export const policyWithMinimum = (minLength: number): PasswordPolicy => ({
  ...DEFAULT_PASSWORD_POLICY,
  minLength: Math.min(Math.max(8, minLength), 64),
});

export type PasswordProblemCode =
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'COMMON'
  | 'CONTAINS_USER_NAME'
  | 'CONTAINS_SERVICE_NAME'
  | 'REPETITIVE'
  | 'REUSED'
  | 'MISMATCH';

export interface PasswordProblem {
  code: PasswordProblemCode;
  message: string;
}

/**
 * Compatibility normalization (NFKC), as SP 800-63B asks before hashing: the same password typed on
 * two keyboards (composed or decomposed accents, full-width letters) is the same password.
 */
export const normalizePassword = (password: string): string => password.normalize('NFKC');

/** Length in characters (code points), not UTF-16 units: an emoji counts as one. */
const characters = (value: string): number => [...value].length;

let common: Set<string> | undefined;
/**
 * The common-password list of zxcvbn-ts (about 49,000 passwords from breach corpora), shipped inside
 * the npm package: no network call, and a new list comes with an ordinary package update.
 */
const commonPasswords = (): Set<string> => {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
};

/** `Summer2024!` is `summer` with decoration: strip digits, punctuation and spaces from both ends. */
const core = (lowered: string): string =>
  lowered.replace(/^[\p{N}\p{P}\p{S}\s]+|[\p{N}\p{P}\p{S}\s]+$/gu, '');

const isCommon = (password: string): boolean => {
  const lowered = password.toLowerCase();
  const list = commonPasswords();
  if (list.has(lowered)) return true;
  const stem = core(lowered);
  return characters(stem) >= 5 && list.has(stem);
};

/** One character or a short pattern over and over (`aaaaaaaaaaaa`, `abcabcabcabc`), or a run (`123456789012`, `abcdefghijkl`). */
const isRepetitive = (password: string): boolean => {
  const chars = [...password.toLowerCase()];
  for (let period = 1; period <= 3; period++) {
    if (chars.length >= period * 3 && chars.every((c, i) => c === chars[i % period])) return true;
  }
  const codes = chars.map((c) => c.codePointAt(0) ?? 0);
  const steps = codes.slice(1).map((code, i) => code - (codes[i] ?? 0));
  const digitRun = /^\d+$/.test(password) && steps.every((s) => s === 1 || s === -9);
  return steps.length > 0 && (steps.every((s) => s === 1) || steps.every((s) => s === -1) || digitRun);
};

const SERVICE_NAMES = ['studio-sso', 'studiosso'];

export interface PasswordContext {
  userName: string;
}

/** Everything wrong with the password, in the order to fix it; empty when it is acceptable. */
export const passwordProblems = (
  rawPassword: string,
  context: PasswordContext,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): PasswordProblem[] => {
  const password = normalizePassword(rawPassword);
  const length = characters(password);
  const problems: PasswordProblem[] = [];
  if (length < policy.minLength) {
    problems.push({
      code: 'TOO_SHORT',
      message:
        length === 0
          ? `Enter a password of at least ${policy.minLength} characters.`
          : `Use at least ${policy.minLength} characters; this password has ${length}. A few unrelated words make a long password that is easy to remember.`,
    });
    return problems;
  }
  if (length > policy.maxLength) {
    problems.push({
      code: 'TOO_LONG',
      message: `Use at most ${policy.maxLength} characters; this password has ${length}.`,
    });
    return problems;
  }
  const lowered = password.toLowerCase();
  const userName = normalizePassword(context.userName).toLowerCase();
  // A name of one or two characters would refuse half of all passwords without making any safer.
  if (characters(userName) >= 3 && lowered.includes(userName)) {
    problems.push({
      code: 'CONTAINS_USER_NAME',
      message: `Don't use your user name (${context.userName}) in your password.`,
    });
  }
  const service = SERVICE_NAMES.find((name) => lowered.includes(name));
  if (service !== undefined) {
    problems.push({
      code: 'CONTAINS_SERVICE_NAME',
      message: `Don't use the name of this service (${service}) in your password.`,
    });
  }
  if (isCommon(password)) {
    problems.push({
      code: 'COMMON',
      message:
        'This password is on a list of common or breached passwords, so it is among the first that attackers try. Choose something less predictable, such as a few unrelated words.',
    });
  } else if (isRepetitive(password)) {
    problems.push({
      code: 'REPETITIVE',
      message:
        'This password is a repeated or sequential pattern (like "aaaa…", "abcabc…" or "1234…"). Choose something less predictable.',
    });
  }
  return problems;
};

export const reusedProblem = (historySize: number): PasswordProblem => ({
  code: 'REUSED',
  message: `You used this password recently. Choose one that differs from your last ${historySize} passwords.`,
});

export const mismatchProblem = (): PasswordProblem => ({
  code: 'MISMATCH',
  message: "The passwords don't match. Type the same new password in both fields.",
});
