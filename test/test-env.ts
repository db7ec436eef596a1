/** The shared PostgreSQL of every developer machine and CI; the e2e database is recreated per run. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/capaian_test';
export const TEST_ADMIN = { username: 'admin', password: 'e2e-admin-password' };
