import { randomBytes } from 'node:crypto';

/**
 * The order of a stack's events: time, then the order they were written in by this process (one
 * process works on a stack at a time). Fixed-width text, so that the database sorts it as well.
 */

const processTag = randomBytes(2).toString('hex');
let counter = 0;

export const eventSortKey = (at: Date): string =>
  `${String(at.getTime()).padStart(15, '0')}-${(counter++ % 2 ** 40).toString(36).padStart(8, '0')}-${processTag}`;
