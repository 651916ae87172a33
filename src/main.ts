import path from 'node:path';
import pino, { type Logger } from 'pino';
import { type App, createApp } from './app.js';
import type { Config } from './config.js';
import type { Clock } from './core/clock.js';
import { type Database, openDatabase } from './storage/database.js';
import { migrateToLatest } from './storage/migrate.js';

export interface RunningServer {
  app: App;
  database: Database;
  /** The base URL the server listens on, with the port actually bound (port 0 picks one). */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  clock?: Clock;
}

/** config → database → migrations → app → listen. Used by `studio-sso serve` and by tests. */
export const startServer = async (config: Config, options: StartOptions = {}): Promise<RunningServer> => {
  // Log lines are written off the request path (asynchronously, batched while a write is in
  // flight): a synchronous write per request cost more than SigV4 did. Flushed on close.
  const destination = options.logger === undefined ? pino.destination({ dest: 1, sync: false }) : undefined;
  const logger = options.logger ?? pino({ level: config.logLevel, base: { pid: process.pid } }, destination);
  const database = await openDatabase(
    config.databaseUrl !== undefined
      ? { kind: 'postgres', url: config.databaseUrl, schema: config.databaseSchema }
      : { kind: 'sqlite', file: path.join(config.dataDir, 'studio-sso.db') },
  );
  try {
    await migrateToLatest(database);
    const app = await createApp({ config, database, logger, clock: options.clock });
    const address = await app.http.listen({ host: config.host, port: config.port });
    const url = address.replace('://[::1]', '://localhost');
    app.links.useServerUrl(url);
    app.mailDelivery.start();
    app.stackOperations.start();
    let closing: Promise<void> | undefined;
    // Closing stops new connections, lets requests in flight finish, then closes the database:
    // every write is a transaction, so nothing is left half-done. The mail worker finishes the
    // attempt in progress; messages not yet attempted stay queued for the next start.
    const close = () => {
      closing ??= app.http
        .close()
        .then(() => app.mailDelivery.stop())
        .then(() => app.stackOperations.stop())
        .then(() => database.close())
        .then(() => destination?.flushSync());
      return closing;
    };
    return { app, database, url, close };
  } catch (error) {
    await database.close();
    throw error;
  }
};
