import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Test } from 'supertest';
import type { Response } from 'supertest';
import { isApiUrl, ObservedResponse, ResponseMismatchError, validateResponse } from './response-validation';

/**
 * Installed for every e2e spec (jest setupFilesAfterEnv): each answer received through supertest, and through
 * fetch when it targets the API, is checked against openapi.yaml (see response-validation.ts).
 */

let validated = 0;
const validate = (r: ObservedResponse) => {
  if (validateResponse(r)) validated++;
};

type AssertCallback = (err: Error | null, res: Response) => void;
type Assertable = { assert(resError: Error | null, res: Response | undefined, fn?: AssertCallback): void; method: string; url: string };

const proto = Test.prototype as unknown as Assertable;
const assert = proto.assert;
// supertest runs its .expect() assertions in assert(); the check joins them, so `await http()...` rejects too.
proto.assert = function (this: Assertable, resError, res, fn) {
  const mismatch = res ? mismatchOf(this.method, this.url, res) : undefined;
  assert.call(this, resError, res, (err, response) => {
    if (err && mismatch) err.message += `\n\nThe answer also breaks openapi.yaml: ${mismatch.message}`;
    fn?.call(this, err ?? mismatch ?? null, response);
  });
};

function mismatchOf(method: string, url: string, res: Response): Error | undefined {
  try {
    validate({ method, url, status: res.status, headers: res.headers, body: isJson(res) ? res.body : res.text });
  } catch (e) {
    if (e instanceof ResponseMismatchError) return e;
    throw e;
  }
}
const isJson = (res: Response) => /[/+]json\b/.test(String(res.headers['content-type'] ?? ''));

const fetch = globalThis.fetch;
// Other targets (the app's own webhook deliveries, say) pass through untouched.
globalThis.fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  const res = await fetch(input, init);
  if (isApiUrl(url)) {
    const text = await res.clone().text();
    const contentType = res.headers.get('content-type') ?? undefined;
    const body = contentType && /[/+]json\b/.test(contentType) && text ? (JSON.parse(text) as unknown) : text;
    const headers = Object.fromEntries(res.headers.entries());
    validate({ method: init?.method ?? (input instanceof Request ? input.method : 'GET'), url, status: res.status, headers, body });
  }
  return res;
};

afterAll(() => {
  const dir = process.env.OPENAPI_VALIDATION_DIR;
  if (dir) appendFileSync(join(dir, 'counts'), `${validated}\n`);
});
