/** The Bull queue of spec §10 and its one job; names and ids are set here only. */
export const WEBHOOKS_QUEUE = 'webhooks';

/** Injection token of the queue: undefined without REDIS_URL (deliveries then go out in process). */
export const WEBHOOKS_QUEUE_TOKEN = Symbol('WEBHOOKS_QUEUE');

export enum WebhooksJob {
  /** One HTTP attempt of one delivery. */
  Deliver = 'deliver',
}

export interface DeliverJobData {
  deliveryId: string;
  /** The attempt's number (1 for the first): a job for an attempt already made finds nothing to do. */
  attempt: number;
}

export interface WebhooksJobData {
  [WebhooksJob.Deliver]: DeliverJobData;
}

/** One job per delivery and attempt: the sweeper re-adding a job Redis still holds is a no-op. */
export const deliveryJobId = (deliveryId: string, attempt: number) => `delivery:${deliveryId}:${attempt}`;
