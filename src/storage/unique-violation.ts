/**
 * The one place that recognizes a unique-constraint violation from either database. Uniqueness
 * under concurrency is the database's job; repositories turn this into a domain ConflictError.
 */
export const isUniqueViolation = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};

/** Runs an insert or update, turning a unique violation into the error the caller chooses. */
export const onUniqueViolation = async <T>(work: () => Promise<T>, toError: () => Error): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw toError();
    throw error;
  }
};
