import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';

/**
 * Requests per client IP and endpoint to the endpoints that need no login (the `public` throttler,
 * PUBLIC_THROTTLE_LIMIT). The library names the header of a named throttler `Retry-After-<name>`; clients
 * and proxies only know the standard `Retry-After` (RFC 9110), so send that one too.
 */
@Injectable()
export class PublicThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const { res } = this.getRequestResponse(context);
    this.setResponseHeader(res, 'Retry-After', Math.max(1, Math.ceil(detail.timeToBlockExpire)));
    return super.throwThrottlingException(context, detail);
  }
}
