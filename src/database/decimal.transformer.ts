import { ValueTransformer } from 'typeorm';

/** PostgreSQL numeric arrives as a string (exact); the API speaks JSON numbers. */
export const decimal: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};
