import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** Per connection, at most this many statements stay prepared; later ones run unnamed. */
const STATEMENTS_PER_CONNECTION = 1000;
/** Statement names by SQL text, kept for this many texts (oldest dropped first). */
const NAME_CACHE_SIZE = 4096;

/**
 * Only plain data statements are kept prepared: DDL and transaction control run unnamed, so a
 * migration never finds a plan of its own tables cached on a connection.
 */
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * PostgreSQL plans an unnamed statement on every execution; for our short indexed queries the
 * planning costs more than the running. The SQL comes from a fixed set of query builders, so each
 * text is prepared once per connection under a name derived from the text (pg keeps it prepared on
 * that connection and sends only Bind/Execute afterwards), as the SQLite side caches statements.
 */
export const namedStatementPool = (pool: pg.Pool): PostgresPool => {
  const names = new Map<string, string>();
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (name === undefined) {
      name = `k${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
      if (names.size >= NAME_CACHE_SIZE) {
        const oldest = names.keys().next().value;
        if (oldest !== undefined) names.delete(oldest);
      }
      names.set(text, name);
    }
    return name;
  };
  const prepared = new WeakMap<pg.PoolClient, Set<string>>();

  const wrap = (client: pg.PoolClient): PostgresPoolClient =>
    ({
      query: (textOrCursor: unknown, parameters?: ReadonlyArray<unknown>) => {
        if (typeof textOrCursor !== 'string') return client.query(textOrCursor as pg.Submittable);
        const values = parameters === undefined ? [] : [...parameters];
        if (!PREPARABLE.test(textOrCursor)) return client.query(textOrCursor, values);
        let names = prepared.get(client);
        if (names === undefined) {
          names = new Set();
          prepared.set(client, names);
        }
        const name = nameOf(textOrCursor);
        if (!names.has(name)) {
          if (names.size >= STATEMENTS_PER_CONNECTION) return client.query(textOrCursor, values);
          names.add(name);
        }
        return client.query({ name, text: textOrCursor, values });
      },
      release: (destroy?: boolean) => client.release(destroy),
    }) as unknown as PostgresPoolClient;

  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
};
