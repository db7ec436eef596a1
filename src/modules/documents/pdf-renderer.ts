import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { Piscina } from 'piscina';
import { ServiceBusyError } from '../../common/errors/app-error';
import type { DocDefinition } from './evaluation-document';
import type { RenderResult } from './pdf-worker';

export interface PdfPoolLimits {
  /** Threads rendering at once. */
  maxThreads: number;
  /** Renders that may wait for a thread; one more is refused rather than queued without bound. */
  maxQueue: number;
  /** Milliseconds an idle thread lives on. */
  idleTimeout: number;
}

/** One core stays with the event loop; idle threads end, so a process that prints nothing holds no pdfmake. */
export const PDF_POOL_LIMITS: PdfPoolLimits = { maxThreads: Math.max(1, availableParallelism() - 1), maxQueue: 64, idleTimeout: 60_000 };

/** About the time a full queue takes to drain on a 2-core machine: 64 renders of ~50 ms on one thread. */
const RETRY_AFTER_SECONDS = 3;

/** 503: the queue of renders is full, or the thread rendering the document died; both pass, so retry. */
export class PdfRendererUnavailableError extends ServiceBusyError {
  constructor(detail: string) {
    super('renderer-unavailable', detail, RETRY_AFTER_SECONDS);
  }
}

/**
 * Renders PDFs in a pool of worker threads (pdf-worker.ts): pdfmake lays a document out synchronously for tens of
 * milliseconds, which on the event loop would stall every other request of the process.
 */
@Injectable()
export class PdfRenderer implements OnApplicationShutdown {
  private readonly logger = new Logger(PdfRenderer.name);
  private readonly pool: Piscina<DocDefinition, RenderResult>;

  constructor(@Optional() limits: PdfPoolLimits = PDF_POOL_LIMITS) {
    // Under ts-node and Jest this file is TypeScript and so is the worker, which then needs the same loader.
    const ext = extname(__filename);
    this.pool = new Piscina({
      filename: join(__dirname, `pdf-worker${ext}`),
      minThreads: 0,
      ...limits,
      execArgv: ext === '.ts' ? ['--require', require.resolve('ts-node/register/transpile-only')] : undefined,
    });
    // A thread failing between tasks is reported here; unheard, the 'error' event would end the process.
    this.pool.on('error', (err: unknown) => this.logger.error({ err }, 'a PDF rendering thread failed'));
  }

  /** The PDF bytes of a document definition; the same definition (creation date included) gives the same bytes. */
  async renderPdf(doc: DocDefinition): Promise<Buffer> {
    if (this.pool.queueSize >= this.pool.options.maxQueue) {
      throw new PdfRendererUnavailableError('Too many documents are being rendered at this moment; retry after the time given in Retry-After');
    }
    let result: RenderResult;
    try {
      result = await this.pool.run(doc);
    } catch (err) {
      // The thread died (the pool starts another) or the pool is shutting down: nothing wrong with the request.
      this.logger.error({ err }, 'a PDF rendering thread failed');
      throw new PdfRendererUnavailableError('The document could not be rendered at this moment; retry after the time given in Retry-After');
    }
    if ('error' in result) throw new Error(`pdfmake refused the document definition: ${result.error}`);
    // Structured cloning hands the bytes over as a plain Uint8Array.
    return Buffer.from(result.pdf.buffer, result.pdf.byteOffset, result.pdf.byteLength);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.destroy();
  }
}
