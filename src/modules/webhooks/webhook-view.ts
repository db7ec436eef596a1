import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';

/** An endpoint without its secrets: what audit rows and logs may hold. */
export function endpointSnapshot(e: WebhookEndpointEntity): Omit<WebhookEndpointEntity, 'secret' | 'previousSecret'> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { secret, previousSecret, ...rest } = e;
  return rest;
}
