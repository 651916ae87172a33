import { type CompiledQuery, createQueryId } from 'kysely';

/**
 * Queries compiled once and run with fresh parameters. Kysely's builder compiles on every call,
 * which for a small indexed query costs about as much as running it on SQLite; the hot reads
 * (DescribeUser, the access decision) compile theirs once. A slot is a parameter placeholder that
 * no real value can be mistaken for: a template's other parameters are constants of its file.
 */
const SLOT = '\u0000slot:';

export const slot = (name: string): string => `${SLOT}${name}`;

export const bindSlots = <R>(
  template: CompiledQuery<R>,
  values: Record<string, unknown>,
): CompiledQuery<R> => ({
  ...template,
  queryId: createQueryId(),
  parameters: template.parameters.map((p) =>
    typeof p === 'string' && p.startsWith(SLOT) ? values[p.slice(SLOT.length)] : p,
  ),
});
