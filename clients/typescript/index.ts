// A typed client for the Capaian API: schema.ts is generated from openapi.yaml (npm run client:generate), calls go
// through openapi-fetch. To use it elsewhere, copy this folder and install openapi-fetch.
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };
/** The document's schemas by name, e.g. `Schemas['ScoreDto']`. */
export type Schemas = components['schemas'];
export type CapaianClient = Client<paths>;

/** A user's access token from `POST /auth/login`, or a machine client's API key; none for the public endpoints. */
export type CapaianAuth = { bearer: string } | { apiKey: string } | null;

/**
 * `const api = createCapaianClient('https://capaian.example', { apiKey })`, then
 * `const { data, error } = await api.GET('/appraisals/{id}', { params: { path: { id } } })`: `data` is the typed
 * 2xx body, `error` the typed application/problem+json body. Add middleware with `api.use()`; for a custom fetch,
 * call openapi-fetch's `createClient<paths>()` directly.
 */
export function createCapaianClient(baseUrl: string, auth: CapaianAuth = null): CapaianClient {
  const headers: Record<string, string> = {};
  if (auth && 'bearer' in auth) headers.Authorization = `Bearer ${auth.bearer}`;
  if (auth && 'apiKey' in auth) headers['X-API-Key'] = auth.apiKey;
  return createClient<paths>({ baseUrl, headers });
}
