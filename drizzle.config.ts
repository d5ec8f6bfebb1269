import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new SQL migration under migrations/ from src/store/schema.ts.
// Migrations are committed; `credit-monitor migrate` and the worker apply them at start.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/store/schema.ts',
  out: './migrations',
  strict: true,
  verbose: true,
});
