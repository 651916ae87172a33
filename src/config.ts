import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The only reader of process.env. Command-line flags win over the environment, the environment
 * over defaults. Invalid values stop the process with a message that names the setting.
 */
export interface Config {
  host: string;
  port: number;
  /** Directory of the embedded SQLite database (ignored when databaseUrl is set). */
  dataDir: string;
  /** postgres://… to store everything in PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  /** PostgreSQL schema to use (created when missing); lets test runs share one database. */
  databaseSchema?: string;
  /** Pinned account ID; when unset one is generated at first start and kept in the database. */
  accountId?: string;
  region: string;
  rootEmail: string;
  rootAccessKeyId?: string;
  rootSecretAccessKey?: string;
  logLevel: string;
  /** Largest accepted request body; AWS's JSON APIs refuse larger bodies too. */
  bodyLimitBytes: number;
  /** SMTP_URL: smtp://user:pass@host:port or smtps://…; without it mail stays in the outbox. */
  smtpUrl?: string;
  /** MAIL_FROM: the sender of every message. */
  mailFrom: string;
  /** STUDIO_SSO_PUBLIC_URL: the base of links in mail and pages; the server's own address when unset. */
  publicUrl?: string;
  /**
   * STUDIO_SSO_TEST_CFN_STEP_DELAY_MS, for tests only: a pause after every step of a stack
   * operation, so that a test can stop the process between two resources.
   */
  cfnStepDelayMs?: number;
  /** --tls-cert/--tls-key (STUDIO_SSO_TLS_CERT/_KEY): serve HTTPS directly, with these PEM files read. */
  tls?: { cert: Buffer; key: Buffer; certFile: string; keyFile: string };
  /**
   * --trust-proxy (STUDIO_SSO_TRUST_PROXY): believe X-Forwarded-Proto/-For from a TLS proxy in front,
   * so cookies get Secure and `__Host-` and throttling counts the client's address. true trusts any
   * peer; addresses or CIDRs trust only those proxies. Off by default.
   */
  trustProxy: boolean | string[];
}

export interface ConfigOverrides {
  host?: string;
  port?: number | string;
  data?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** `--trust-proxy` alone is true; with a value, as STUDIO_SSO_TRUST_PROXY. */
  trustProxy?: boolean | string;
}

export class ConfigError extends Error {}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

const parsePort = (value: number | string, name: string): number => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${name} must be a port number (0-65535), got '${value}'`);
  }
  return port;
};

export const loadConfig = (
  env: NodeJS.ProcessEnv = process.env,
  overrides: ConfigOverrides = {},
  cwd: string = process.cwd(),
): Config => {
  const accountId = env.STUDIO_SSO_ACCOUNT_ID || undefined;
  if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) {
    throw new ConfigError(`STUDIO_SSO_ACCOUNT_ID must be 12 digits, got '${accountId}'`);
  }
  const region = env.STUDIO_SSO_REGION || 'us-east-1';
  if (!REGION.test(region)) throw new ConfigError(`STUDIO_SSO_REGION is not a region name: '${region}'`);
  const rootEmail = env.STUDIO_SSO_ROOT_EMAIL || 'admin@studio-sso.local';
  if (!EMAIL.test(rootEmail) || rootEmail.length < 6 || rootEmail.length > 64) {
    throw new ConfigError(
      `STUDIO_SSO_ROOT_EMAIL must be an e-mail address of 6-64 characters, got '${rootEmail}'`,
    );
  }
  const rootAccessKeyId = env.STUDIO_SSO_ROOT_ACCESS_KEY_ID || undefined;
  const rootSecretAccessKey = env.STUDIO_SSO_ROOT_SECRET_ACCESS_KEY || undefined;
  if ((rootAccessKeyId === undefined) !== (rootSecretAccessKey === undefined)) {
    throw new ConfigError(
      'STUDIO_SSO_ROOT_ACCESS_KEY_ID and STUDIO_SSO_ROOT_SECRET_ACCESS_KEY must be set together',
    );
  }
  if (rootAccessKeyId !== undefined && !/^[A-Z0-9]{16,128}$/.test(rootAccessKeyId)) {
    throw new ConfigError('STUDIO_SSO_ROOT_ACCESS_KEY_ID must be 16-128 upper-case letters and digits');
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL');
  }
  const databaseSchema = env.STUDIO_SSO_DATABASE_SCHEMA || undefined;
  if (databaseSchema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) {
    throw new ConfigError('STUDIO_SSO_DATABASE_SCHEMA must be a lower-case SQL identifier');
  }
  const mail = loadMailConfig(env);
  return {
    ...mail,
    tls: loadTls(
      overrides.tlsCert ?? (env.STUDIO_SSO_TLS_CERT || undefined),
      overrides.tlsKey ?? (env.STUDIO_SSO_TLS_KEY || undefined),
      cwd,
    ),
    trustProxy: parseTrustProxy(overrides.trustProxy ?? (env.STUDIO_SSO_TRUST_PROXY || false)),
    host: overrides.host ?? env.HOST ?? '127.0.0.1',
    port: parsePort(overrides.port ?? env.PORT ?? 4500, 'port'),
    dataDir: path.resolve(cwd, overrides.data ?? env.STUDIO_SSO_DATA ?? '.studio-sso'),
    databaseUrl,
    databaseSchema,
    accountId,
    region,
    rootEmail,
    rootAccessKeyId,
    rootSecretAccessKey,
    logLevel: env.LOG_LEVEL || 'info',
    cfnStepDelayMs: parseStepDelay(env.STUDIO_SSO_TEST_CFN_STEP_DELAY_MS),
    bodyLimitBytes: 1024 * 1024,
  };
};

/** The certificate and key for HTTPS, both or neither, read now so a bad path stops the start. */
const loadTls = (certFile: string | undefined, keyFile: string | undefined, cwd: string): Config['tls'] => {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    throw new ConfigError('--tls-cert and --tls-key (STUDIO_SSO_TLS_CERT, STUDIO_SSO_TLS_KEY) go together');
  }
  const read = (file: string, name: string): Buffer => {
    try {
      return readFileSync(path.resolve(cwd, file));
    } catch (error) {
      throw new ConfigError(
        `${name}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? error})`,
      );
    }
  };
  const cert = read(certFile, '--tls-cert');
  const key = read(keyFile, '--tls-key');
  if (!cert.toString('latin1').includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(`--tls-cert: ${certFile} is not a PEM certificate`);
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString('latin1'))) {
    throw new ConfigError(`--tls-key: ${keyFile} is not a PEM private key`);
  }
  return { cert, key, certFile, keyFile };
};

/**
 * `true`/`false`, or a comma-separated list of proxy addresses or CIDRs. No hop counts: fastify
 * refuses them, since a count cannot tell a proxy from a client that sends the headers itself.
 */
const parseTrustProxy = (value: boolean | string): Config['trustProxy'] => {
  if (typeof value === 'boolean') return value;
  const text = value.trim().toLowerCase();
  if (text === 'true' || text === 'on' || text === 'yes') return true;
  if (text === 'false' || text === 'off' || text === 'no' || text === '') return false;
  const proxies = text.split(',').map((p) => p.trim());
  if (proxies.some((p) => !/^[0-9a-f.:]+(\/\d{1,3})?$/.test(p))) {
    throw new ConfigError(
      `--trust-proxy must be true, false, or proxy addresses/CIDRs like 10.0.0.1,192.168.0.0/16; got '${value}'`,
    );
  }
  return proxies;
};

const parseStepDelay = (value: string | undefined): number | undefined => {
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0) {
    throw new ConfigError(
      `STUDIO_SSO_TEST_CFN_STEP_DELAY_MS must be a number of milliseconds, got '${value}'`,
    );
  }
  return ms;
};

/** Mail and links: SMTP_URL, MAIL_FROM, STUDIO_SSO_PUBLIC_URL. */
const loadMailConfig = (env: NodeJS.ProcessEnv): Pick<Config, 'smtpUrl' | 'mailFrom' | 'publicUrl'> => {
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl !== undefined) {
    let protocol: string | undefined;
    try {
      protocol = new URL(smtpUrl).protocol;
    } catch {
      protocol = undefined;
    }
    // Never echo the URL: it may carry the SMTP password.
    if (protocol !== 'smtp:' && protocol !== 'smtps:') {
      throw new ConfigError('SMTP_URL must be an smtp:// or smtps:// URL, like smtp://user:pass@host:587');
    }
  }
  const mailFrom = env.MAIL_FROM || 'studio-sso <no-reply@studio-sso.local>';
  if (!/@[^\s@>]+>?\s*$/.test(mailFrom)) {
    throw new ConfigError(
      `MAIL_FROM must be an address like "studio-sso <no-reply@example.com>", got '${mailFrom}'`,
    );
  }
  const publicUrl = env.STUDIO_SSO_PUBLIC_URL || undefined;
  if (publicUrl !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(publicUrl);
    } catch {
      parsed = undefined;
    }
    if (
      parsed === undefined ||
      !['http:', 'https:'].includes(parsed.protocol) ||
      parsed.search ||
      parsed.hash
    ) {
      throw new ConfigError(
        `STUDIO_SSO_PUBLIC_URL must be an http(s) URL without query or fragment, like https://sso.example.com, got '${publicUrl}'`,
      );
    }
  }
  return { smtpUrl, mailFrom, publicUrl: publicUrl?.replace(/\/+$/, '') };
};

/** How a `studio-sso` command reaches a running server: the same settings the aws CLI reads. */
export interface ClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export const loadClientConfig = (
  env: NodeJS.ProcessEnv = process.env,
  overrides: { endpoint?: string } = {},
): ClientConfig => {
  const endpoint =
    overrides.endpoint ??
    env.STUDIO_SSO_ENDPOINT ??
    env.AWS_ENDPOINT_URL ??
    `http://127.0.0.1:${env.PORT ?? 4500}`;
  try {
    new URL(endpoint);
  } catch {
    throw new ConfigError(`the endpoint must be a URL, got '${endpoint}'`);
  }
  const accessKeyId = env.AWS_ACCESS_KEY_ID ?? env.STUDIO_SSO_ROOT_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY ?? env.STUDIO_SSO_ROOT_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new ConfigError(
      'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to the key pair `studio-sso serve` printed (and AWS_ENDPOINT_URL if the server is not on http://127.0.0.1:4500)',
    );
  }
  return {
    endpoint: endpoint.replace(/\/+$/, ''),
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? env.STUDIO_SSO_REGION ?? 'us-east-1',
    credentials: { accessKeyId, secretAccessKey },
  };
};
