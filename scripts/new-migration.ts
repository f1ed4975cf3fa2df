// `npm run db:new-migration -- <name>`: authors the next migration offline, as the SQL diff
// between the schema at the last committed migration and prisma/schema.prisma now.
// (`migrate dev` needs a shadow database the js engine cannot manage; see README.)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:new-migration -- <name_in_snake_case>');
  process.exit(2);
}
function serverDatabaseUrl(): string {
  const u = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  u.pathname = '/postgres';
  return u.toString();
}
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
const lastCommit = git('log', '-1', '--format=%H', '--', 'prisma/migrations');
const previous = path.join(mkdtempSync(path.join(tmpdir(), 'hz-migration-')), 'previous.prisma');
writeFileSync(previous, git('show', `${lastCommit}:prisma/schema.prisma`));

const sql = execFileSync(
  path.join(ROOT, 'node_modules/.bin/prisma'),
  ['migrate', 'diff', '--from-schema-datamodel', previous, '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
  // The js engine connects even for a pure schema diff; the server's own database will do.
  { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: serverDatabaseUrl() } },
);
if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
  console.log('schema.prisma has no changes since the last migration');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join(ROOT, 'prisma/migrations', `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'migration.sql'), sql);
console.log(`wrote ${path.relative(ROOT, dir)}/migration.sql; review it, then npm run db:migrate`);
