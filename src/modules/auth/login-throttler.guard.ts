import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';

/**
 * The library names the header of a named throttler `Retry-After-<name>` (e.g. `Retry-After-login`); clients
 * and proxies only know the standard `Retry-After` (RFC 9110), so send that one too.
 */
abstract class StandardRetryAfterGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const { res } = this.getRequestResponse(context);
    this.setResponseHeader(res, 'Retry-After', Math.max(1, Math.ceil(detail.timeToBlockExpire)));
    return super.throwThrottlingException(context, detail);
  }
}

/** Counts login attempts per client IP and username, so one guessed account cannot lock out a whole office. */
@Injectable()
export class LoginThrottlerGuard extends StandardRetryAfterGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const body = req.body as { username?: unknown } | undefined;
    const username = typeof body?.username === 'string' ? body.username.toLowerCase() : '';
    return Promise.resolve(`${String(req.ip)}|${username}`);
  }
}

/** Requests per client IP and endpoint to the endpoints that need no login (the `public` throttler, PUBLIC_THROTTLE_LIMIT). */
@Injectable()
export class PublicThrottlerGuard extends StandardRetryAfterGuard {}
