import { request as httpRequest, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { hostOf } from './address-guard';

export const RESPONSE_EXCERPT_BYTES = 1024;

export interface PostResult {
  /** Null when no answer came. */
  statusCode: number | null;
  /** Why no answer came: `timeout`, or the socket error's code. */
  error: string | null;
  /** The first RESPONSE_EXCERPT_BYTES of the answer's body, without NUL characters (PostgreSQL cannot store them). */
  body: string | null;
  durationMs: number;
}

export interface PinnedPost {
  url: string;
  /** The address the guard checked: the connection goes there, whatever DNS answers now. */
  address: string;
  family: 4 | 6;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/**
 * One POST to a pinned address; the whole exchange (connect, answer, body excerpt) must finish within `timeoutMs`.
 * Redirects are not followed: a 3xx is just an answer. Never throws.
 */
export function postPinned(p: PinnedPost): Promise<PostResult> {
  const started = Date.now();
  const url = new URL(p.url);
  const lookup: LookupFunction = (_host, opts, cb) => {
    if (opts.all) (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: p.address, family: p.family }]);
    else cb(null, p.address, p.family);
  };
  const options: RequestOptions & { servername?: string } = {
    method: 'POST',
    headers: { ...p.headers, 'content-length': String(Buffer.byteLength(p.body)) },
    lookup,
    agent: false,
  };
  const host = hostOf(url);
  if (url.protocol === 'https:' && !isIP(host)) options.servername = host;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<PostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...r, durationMs: Date.now() - started });
    };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => finish({ statusCode: res.statusCode ?? null, error: null, body: excerpt(chunks) });
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= RESPONSE_EXCERPT_BYTES) done();
      });
      res.on('end', done);
      res.on('error', done);
    });
    const timer = setTimeout(() => finish({ statusCode: null, error: 'timeout', body: null }), p.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => finish({ statusCode: null, error: e.code ?? 'connection-error', body: null }));
    req.end(p.body);
  });
}

function excerpt(chunks: Buffer[]): string | null {
  const all = Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES);
  if (!all.length) return null;
  // A multi-byte character cut in half decodes to U+FFFD: still at most 1024 characters.
  return all.toString('utf8').replaceAll('\0', '');
}
