/**
 * The webhook events of spec §10 (and §11's two), each with the `data` it carries: the one list the outbox, the
 * subscriptions' validation and the OpenAPI document read.
 */
export const WEBHOOK_EVENT_TYPES = [
  'score.changed',
  'appraisal.finalized',
  'appraisal.objection_filed',
  'appraisal.objection_resolved',
  'period.transitioned',
  'recalculation.completed',
  'feedback.held',
  'shortlist.decided',
  'dialogue.recorded',
  'training.recorded',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Only sent by POST /webhooks/{id}/test, to that endpoint; nobody subscribes to it. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** The PostgreSQL channel on which committed deliveries are announced to the webhook relays. */
export const DELIVERIES_CHANNEL = 'webhook_deliveries';
