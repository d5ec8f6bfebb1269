import { defineConfig } from 'drizzle-kit';

// `npm run db:generate:pg` writes a new SQL migration under migrations/pg/ from src/store/schema.pg.ts.
// The two dialects keep separate migration histories (drizzle has no dialect-neutral schema).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema.pg.ts',
  out: './migrations/pg',
  strict: true,
  verbose: true,
});
