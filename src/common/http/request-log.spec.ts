import type { FastifyReply, FastifyRequest } from 'fastify';
import pino from 'pino';
import { Writable } from 'node:stream';
import { logRequest } from './request-log';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

const request = { id: 'req-1', method: 'GET', url: '/units?page=2' } as FastifyRequest;
const reply = (statusCode: number) => ({ statusCode, elapsedTime: 4.6 }) as FastifyReply;

describe('logRequest', () => {
  it('writes one info line per answered request with its request id, method, url, status and time', () => {
    const { logger, lines } = capture('info');
    logRequest(logger, request, reply(200));
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, requestId: 'req-1', req: { id: 'req-1', method: 'GET', url: '/units?page=2' }, res: { statusCode: 200 }, responseTime: 5, msg: 'request completed' }),
    ]);
  });

  it('writes a 5xx at error level, also when info is off', () => {
    const { logger, lines } = capture('error');
    logRequest(logger, request, reply(200));
    logRequest(logger, request, reply(503));
    expect(lines).toEqual([expect.objectContaining({ level: 50, res: { statusCode: 503 }, msg: 'request errored' })]);
  });
});
