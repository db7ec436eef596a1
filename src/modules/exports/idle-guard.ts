import { Transform, TransformCallback } from 'node:stream';

/** Why a download was ended: its client left the bytes waiting for it unread. */
export class DownloadIdleError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the client read nothing for ${timeoutMs} ms`);
    this.name = 'DownloadIdleError';
  }
}

/** Why a download was ended: it ran longer than EXPORT_MAX_DURATION_MS, however steadily its client read. */
export class DownloadTooLongError extends Error {
  constructor(readonly maxDurationMs: number) {
    super(`the download ran for more than ${maxDurationMs} ms`);
    this.name = 'DownloadTooLongError';
  }
}

/**
 * The last stage of a download, the one the HTTP response reads. Once the response stops taking bytes (its write
 * answered false and no 'drain' came) this stage fills up and push() answers false; when no read follows within
 * `timeoutMs` it destroys itself with DownloadIdleError, which ends the stages behind it (the cursor) and the response.
 * Only the client's reading counts: a slow query pushes nothing and arms no timer. A client that keeps reading, however
 * slowly, would hold the slot, the connection and the snapshot for as long as it likes: `maxDurationMs` after it is
 * made, the guard destroys itself with DownloadTooLongError whatever the reading.
 */
export class IdleGuard extends Transform {
  private timer: NodeJS.Timeout | undefined;
  private readonly deadline: NodeJS.Timeout;

  constructor(
    private readonly timeoutMs: number,
    maxDurationMs: number,
  ) {
    super();
    this.deadline = setTimeout(() => this.destroy(new DownloadTooLongError(maxDurationMs)), maxDurationMs);
    // Whoever owns the guard learns how it ended through finished() or pipeline(); the deadline can fire before they
    // are attached (while the download's checks still run), and an 'error' nobody listens to would end the process.
    this.on('error', () => undefined);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.push(chunk) && !this.timer) {
      this.timer = setTimeout(() => this.destroy(new DownloadIdleError(this.timeoutMs)), this.timeoutMs);
    }
    done();
  }

  /** The reader asks for more: it reads again. */
  override _read(size: number): void {
    this.stopTimer();
    super._read(size);
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.stopTimer();
    clearTimeout(this.deadline);
    done(err);
  }

  private stopTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
