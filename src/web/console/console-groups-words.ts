import { isAppError } from '../../core/errors.js';
import { describeError } from './console-kit.js';

/**
 * The service's refusal in words for this page: some AWS messages are terse wire text
 * (`Duplicate GroupDisplayName`), which the page replaces, by error code, with a sentence that
 * names the user or group; every other refusal keeps the service's own message.
 */
export const inWords = (error: unknown, byCode: Record<string, string> = {}): string => {
  if (isAppError(error)) {
    const words = byCode[error.code];
    if (words !== undefined) return words;
  }
  return describeError(error);
};

export const nameTaken = (displayName: string): Record<string, string> => ({
  GROUP_DISPLAY_NAME_EXISTS: `A group named “${displayName}” already exists. Group names must be unique (in any case): choose another name.`,
});

/** The rule people get wrong about nested groups, shown wherever one is listed or added. */
export const NESTED_GROUPS_NOTE =
  'Nested groups do not grant application access. Members of a nested group can open an application only if they, or a group they belong to directly, are assigned to it.';
