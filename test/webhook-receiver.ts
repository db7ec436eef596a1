import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { validateWebhookEvent } from './response-validation';

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The secrets registered for the path whose `new Webhook(secret).verify(body, headers)` passed. */
  verifiedBy: string[];
  /** Strict receivers: why the body is not a `WebhookEvent` of openapi.yaml; close() fails when any is set. */
  schemaError?: string;
}

/** An answer: a status with an optional body. */
export type Answer = { status: number; body?: string };

/** What a path answers: an answer, one given later (a promise: the request stays open until it settles), or `hang` (never answers). */
export type Reply = Answer | Promise<Answer> | 'hang';

/**
 * A Standard Webhooks receiver on a loopback port: it verifies the signature of every request against the secrets
 * registered for its path, with the reference library, and records everything.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private readonly secrets = new Map<string, string[]>();
  private readonly replies = new Map<string, (n: number) => Reply>();
  private readonly open = new Map<string, number>();
  /** The most requests a path had open at once. */
  readonly maxOpen = new Map<string, number>();
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly host: string,
    private readonly strict: boolean,
  ) {}

  /** `strict`: every body must be a `WebhookEvent` of openapi.yaml (real events; the delivery specs also send made-up ones). */
  static async start(host = '127.0.0.1', opts: { strict?: boolean } = {}): Promise<WebhookReceiver> {
    const server = createServer();
    const r = new WebhookReceiver(server, host, opts.strict ?? false);
    server.on('request', (req, res) => r.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return r;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://${this.host}:${this.port}${path}`;
  }

  /** The secrets a path's requests are verified against (after a rotation: old and new). */
  trust(path: string, ...secrets: string[]): void {
    this.secrets.set(path, secrets);
  }

  /** `reply(n)` answers the n-th request to `path` (1-based); default 204. */
  answer(path: string, reply: (n: number) => Reply): void {
    this.replies.set(path, reply);
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const verifiedBy = (this.secrets.get(path) ?? []).filter((s) => {
        try {
          new Webhook(s).verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
      let schemaError: string | undefined;
      try {
        if (this.strict) validateWebhookEvent(JSON.parse(body));
      } catch (e) {
        schemaError = (e as Error).message;
      }
      this.received.push({ path, headers, body, verifiedBy, ...(schemaError ? { schemaError } : {}) });
      const n = this.on(path).length;
      const reply = this.replies.get(path)?.(n) ?? { status: 204 };
      const open = (this.open.get(path) ?? 0) + 1;
      this.open.set(path, open);
      this.maxOpen.set(path, Math.max(open, this.maxOpen.get(path) ?? 0));
      const closed = () => this.open.set(path, (this.open.get(path) ?? 1) - 1);
      res.on('close', closed);
      if (reply === 'hang') {
        this.hanging.add(res);
        return;
      }
      if (reply instanceof Promise) {
        this.hanging.add(res);
        void reply.then((a) => {
          this.hanging.delete(res);
          if (!res.destroyed) this.reply(res, a);
        });
        return;
      }
      this.reply(res, reply);
    });
  }

  private reply(res: ServerResponse, a: Answer): void {
    res.statusCode = a.status;
    res.end(a.body ?? '');
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    const invalid = this.received.filter((r) => r.schemaError);
    if (invalid.length) throw new Error(`${invalid.length} delivered bodies are not a WebhookEvent of openapi.yaml: ${invalid[0].schemaError}`);
  }
}
