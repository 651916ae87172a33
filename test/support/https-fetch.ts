import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A self-signed certificate for 127.0.0.1, made by `openssl` in a temporary folder; undefined
 * when openssl is not installed (the caller skips, saying so).
 */
export const selfSignedCertificate = async (): Promise<
  { certFile: string; keyFile: string; cert: Buffer } | undefined
> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'studio-sso-tls-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const made = await new Promise<boolean>((resolve) =>
    execFile(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      (error) => resolve(error === null),
    ),
  );
  return made ? { certFile, keyFile, cert: await readFile(certFile) } : undefined;
};

/** `fetch` over node:https trusting `ca`: the global fetch cannot be given a CA for one call. */
export const httpsFetch =
  (ca: Buffer): typeof fetch =>
  async (input, init) => {
    const url = new URL(String(input));
    const body = init?.body === undefined || init.body === null ? undefined : String(init.body);
    const headers: Record<string, string> = { ...(init?.headers as Record<string, string> | undefined) };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    return new Promise<Response>((resolve, reject) => {
      const request = https.request(url, { method: init?.method ?? 'GET', headers, ca }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const answer = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
              answer.append(name, one);
            }
          }
          const status = response.statusCode ?? 500;
          resolve(
            new Response([204, 304].includes(status) ? null : Buffer.concat(chunks), {
              status,
              headers: answer,
            }),
          );
        });
      });
      request.on('error', reject);
      if (body !== undefined) request.write(body);
      request.end();
    });
  };
