import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map(
    (m) => m[1] ?? '',
  );

describe('architecture', () => {
  it('keeps the core free of frameworks, SQL, wire code and modules', () => {
    const offenders = sourceFiles(path.join(SRC, 'core')).flatMap((file) =>
      importsOf(file)
        .filter((target) => !(target.startsWith('node:') || target.startsWith('./')))
        .map((target) => `${path.relative(SRC, file)} imports ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps services and domain types free of SQL, HTTP and AWS wire code', () => {
    const files = sourceFiles(path.join(SRC, 'modules')).filter((file) =>
      /\.(service|types|repository)\.ts$/.test(file),
    );
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.flatMap((file) =>
      importsOf(file)
        .filter((target) =>
          /^(kysely|pg|better-sqlite3|fastify)$|\/aws\/|\/http\/|\/storage\/|\.kysely\.js$|\.aws\.js$/.test(
            target,
          ),
        )
        .map((target) => `${path.relative(SRC, file)} imports ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('reads process.env only in config.ts', () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => !file.endsWith(`${path.sep}config.ts`))
      .filter((file) => readFileSync(file, 'utf8').includes('process.env'))
      .map((file) => path.relative(SRC, file));
    expect(offenders).toEqual([]);
  });
});
