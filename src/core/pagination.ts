import { ValidationError } from './errors.js';

/** One page of a keyset-paginated listing. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface PageRequest {
  limit: number;
  /** The sort key of the last item of the previous page, decoded from the caller's NextToken. */
  after?: string;
}

/**
 * Pagination tokens are opaque to clients: base64url of the last sort key, tagged with what they
 * page through so a token from one listing is refused by another. The alphabet satisfies every
 * NextToken pattern in the models (`[-a-zA-Z0-9+=/:_]*`). A token is never the input token echoed
 * back (botocore raises PaginationError on a repeated token), because it names the last item.
 */
export const encodePageToken = (listing: string, lastKey: string): string =>
  Buffer.from(JSON.stringify([listing, lastKey]), 'utf8').toString('base64url');

export const decodePageToken = (listing: string, token: string | undefined): string | undefined => {
  if (token === undefined || token === '') return undefined;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded[0] === listing && typeof decoded[1] === 'string') return decoded[1];
  } catch {
    // fall through to the error below: a token we did not issue
  }
  throw new ValidationError('The NextToken provided is invalid.', 'INVALID_NEXT_TOKEN');
};

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only tells that there is more.
 */
export const toPage = <T>(listing: string, rows: T[], limit: number, keyOf: (row: T) => string): Page<T> => {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return last === undefined ? { items } : { items, nextToken: encodePageToken(listing, keyOf(last)) };
};
