/**
 * The one place that recognizes constraint violations from either database. Uniqueness and
 * references under concurrency are the database's job; repositories turn these into domain errors.
 */
const errorCode = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

export const isUniqueViolation = (error: unknown): boolean => {
  const code = errorCode(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};

/** A row refers to one that is gone: typically deleted by a concurrent request. */
export const isForeignKeyViolation = (error: unknown): boolean => {
  const code = errorCode(error);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
};

const translating =
  (matches: (error: unknown) => boolean) =>
  async <T>(work: () => Promise<T>, toError: () => Error): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (matches(error)) throw toError();
      throw error;
    }
  };

/** Runs an insert or update, turning a unique violation into the error the caller chooses. */
export const onUniqueViolation = translating(isUniqueViolation);

/** Runs an insert or update, turning a foreign-key violation into the error the caller chooses. */
export const onForeignKeyViolation = translating(isForeignKeyViolation);
