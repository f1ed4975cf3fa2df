// Prisma 6.19 with the JavaScript schema engine and the pg driver adapter: works offline
// (Prisma 7 and the native engines download binaries). See README "Database migrations".
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

import { withNameColumnsAsText } from './libs/db/src/migrate-adapter';

// The schema's datasource reads DATABASE_URL even for `generate`; without it Prisma falls back
// to the native engine and tries to download it.
process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/hyperzoo';
const databaseUrl = process.env.DATABASE_URL;

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  async adapter() {
    return withNameColumnsAsText(new PrismaPg({ connectionString: databaseUrl }));
  },
});
