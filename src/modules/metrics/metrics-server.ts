import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROBLEM_CONTENT_TYPE, problemType } from '../../common/http/problem';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { bearerMatches } from './metrics-http';
import { MetricsService } from './metrics.service';

type Refusal = { status: 401 | 404 | 405; code: 'unauthorized' | 'not-found' | 'method-not-allowed'; title: string; detail: string };

/**
 * With METRICS_PORT, GET /metrics is served on that port of METRICS_HOST (else the API's listen host, HOST; 127.0.0.1
 * while the development password is in use) by a bare HTTP server, and the API port has no /metrics. Nothing else answers
 * there. No token is asked unless METRICS_TOKEN is set too. In the worker process (`npm run start:worker`) it
 * serves the worker's own metrics (batch durations, queue, marks), which the API processes do not see.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metrics.port;
    if (port === undefined) return;
    const server = createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.metrics.host, () => (server.off('error', reject), resolve()));
    });
    this.server = server;
    const { address } = server.address() as AddressInfo;
    this.logger.log(`metrics at http://${address.includes(':') ? `[${address}]` : address}:${port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // Prometheus keeps its connection open between scrapes.
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const token = this.config.metrics.token;
    if (path !== '/metrics') return refuse(req, res, { status: 404, code: 'not-found', title: 'Not Found', detail: 'Only /metrics is served on METRICS_PORT' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return refuse(req, res, { status: 405, code: 'method-not-allowed', title: 'Method Not Allowed', detail: 'GET /metrics only' });
    }
    if (token && !bearerMatches(req.headers.authorization, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      return refuse(req, res, { status: 401, code: 'unauthorized', title: 'Unauthorized', detail: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>' });
    }
    try {
      const text = await this.metrics.scrape();
      res.writeHead(200, { 'Content-Type': this.metrics.contentType, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    } catch (e) {
      this.logger.error({ err: e }, 'metrics scrape failed');
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('metrics scrape failed\n');
    }
  }
}

function refuse(req: IncomingMessage, res: ServerResponse, r: Refusal): void {
  const body = { type: problemType(r.code), title: r.title, status: r.status, detail: r.detail, instance: req.url ?? '/', code: r.code };
  res.writeHead(r.status, { 'Content-Type': PROBLEM_CONTENT_TYPE });
  res.end(JSON.stringify(body));
}
