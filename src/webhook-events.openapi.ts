import { ApiProperty } from '@nestjs/swagger';
import { DIALOGUE_PARTIES } from './modules/performance-dialogue/entities/dialogue.entity';
import { PERIOD_STATUSES } from './modules/periods/entities/period.entity';
import { SHORTLIST_DECISIONS } from './modules/promotion-candidates/entities/shortlist.entity';
import { PREDICATES, RATINGS } from './modules/scoring/types';
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from './modules/webhook-outbox/events';

/*
 * The data of each webhook event (spec §10), for the OpenAPI document: what a receiver finds in `data` of the envelope
 * {type, timestamp, data}. The outbox writes them in SQL (webhook-outbox/domain-events.ts, the score write); the e2e
 * tests check every delivered event against these schemas.
 */

class AppraisalEventFields {
  @ApiProperty({ format: 'uuid' }) appraisalId: string;
  @ApiProperty({ format: 'uuid' }) employeeId: string;
  @ApiProperty({ example: '199001012015031001', pattern: '^\\d{18}$' }) employeeNip: string;
  @ApiProperty({ format: 'uuid' }) periodId: string;
  @ApiProperty({ example: '2026-11' }) periodCode: string;
}

export class ScoreChangedData extends AppraisalEventFields {
  @ApiProperty({ example: 104.5 }) resultScore: number;
  @ApiProperty({ nullable: true, type: Number, example: 100 }) behaviourScore: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 102.25 }) finalScore: number | null;
  @ApiProperty({ enum: RATINGS }) resultRating: string;
  @ApiProperty({ enum: RATINGS, nullable: true }) behaviourRating: string | null;
  @ApiProperty({ enum: PREDICATES, nullable: true }) predicate: string | null;
  @ApiProperty({ nullable: true, type: Number, minimum: 1, maximum: 5, description: 'SIASN kuadran code of the predicate (spec §5)' }) predicateCode: number | null;
  @ApiProperty({ enum: PREDICATES, nullable: true, description: 'Before this change; null for a first score' }) previousPredicate: string | null;
}

export class AppraisalFinalizedData extends AppraisalEventFields {
  @ApiProperty({ type: String, format: 'date-time' }) finalizedAt: string;
  @ApiProperty({ example: 'period-close', description: 'What finalised it: `period-close`' }) reason: string;
  @ApiProperty({ nullable: true, type: Number }) finalScore: number | null;
  @ApiProperty({ enum: PREDICATES, nullable: true, description: 'Null when finalised unassessed (forced close)' }) predicate: string | null;
  @ApiProperty({ nullable: true, type: Number, minimum: 1, maximum: 5 }) predicateCode: number | null;
}

export class ObjectionFiledData extends AppraisalEventFields {
  @ApiProperty({ format: 'uuid' }) objectionId: string;
  @ApiProperty({ type: String, format: 'date-time' }) filedAt: string;
}

export class ObjectionResolvedData extends AppraisalEventFields {
  @ApiProperty({ format: 'uuid' }) objectionId: string;
  @ApiProperty({ enum: ['ACCEPTED', 'REJECTED'] }) decision: string;
  @ApiProperty({ type: String, format: 'date-time' }) resolvedAt: string;
}

export class PeriodTransitionedData {
  @ApiProperty({ format: 'uuid' }) periodId: string;
  @ApiProperty({ example: '2026-11' }) periodCode: string;
  @ApiProperty({ enum: PERIOD_STATUSES }) from: string;
  @ApiProperty({ enum: PERIOD_STATUSES }) to: string;
}

class RecalculationProgress {
  @ApiProperty({ minimum: 0 }) done: number;
  @ApiProperty({ minimum: 0 }) total: number;
}

export class RecalculationCompletedData {
  @ApiProperty({ format: 'uuid', description: 'The recalculation run (GET /recalculations/{id})' }) id: string;
  @ApiProperty({ format: 'uuid' }) periodId: string;
  @ApiProperty({ enum: ['COMPLETED', 'FAILED'] }) status: string;
  @ApiProperty({ type: RecalculationProgress }) progress: RecalculationProgress;
}

export class FeedbackHeldData {
  @ApiProperty({ format: 'uuid' }) feedbackId: string;
  @ApiProperty({ example: 'DISDUKCAPIL' }) unitCode: string;
  @ApiProperty({ pattern: '^\\d{18}$' }) employeeNip: string;
}

export class ShortlistDecidedData {
  @ApiProperty({ format: 'uuid' }) shortlistId: string;
  @ApiProperty({ format: 'uuid' }) employeeId: string;
  @ApiProperty({ pattern: '^\\d{18}$' }) employeeNip: string;
  @ApiProperty({ enum: SHORTLIST_DECISIONS }) decision: string;
  @ApiProperty({ type: String, format: 'date-time' }) decidedAt: string;
}

export class DialogueRecordedData extends AppraisalEventFields {
  @ApiProperty({ format: 'uuid' }) dialogueId: string;
  @ApiProperty({ type: String, format: 'date' }) heldOn: string;
  @ApiProperty({ enum: DIALOGUE_PARTIES, description: 'Who asked for the dialogue' }) requestedBy: string;
}

export class TrainingRecordedData {
  @ApiProperty({ format: 'uuid' }) trainingId: string;
  @ApiProperty({ format: 'uuid' }) employeeId: string;
  @ApiProperty({ pattern: '^\\d{18}$' }) employeeNip: string;
  @ApiProperty() course: string;
  @ApiProperty({ type: String, format: 'date' }) completedOn: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) validUntil: string | null;
}

export class WebhookTestData {
  @ApiProperty({ example: 'Test event from Capaian' }) message: string;
  @ApiProperty({ format: 'uuid', description: 'The endpoint the test was sent to' }) webhookId: string;
}

/** Event type → the schema of its `data`. */
export const EVENT_DATA = {
  'score.changed': ScoreChangedData,
  'appraisal.finalized': AppraisalFinalizedData,
  'appraisal.objection_filed': ObjectionFiledData,
  'appraisal.objection_resolved': ObjectionResolvedData,
  'period.transitioned': PeriodTransitionedData,
  'recalculation.completed': RecalculationCompletedData,
  'feedback.held': FeedbackHeldData,
  'shortlist.decided': ShortlistDecidedData,
  'dialogue.recorded': DialogueRecordedData,
  'training.recorded': TrainingRecordedData,
  [TEST_EVENT_TYPE]: WebhookTestData,
} satisfies Record<(typeof WEBHOOK_EVENT_TYPES)[number] | typeof TEST_EVENT_TYPE, new () => object>;

/** The schema name of the envelope of an event type: `score.changed` → `ScoreChangedEvent`. */
export const envelopeName = (type: string): string =>
  `${type.split(/[._]/).map((w) => w[0].toUpperCase() + w.slice(1)).join('')}Event`;

/**
 * Adds to the document, beside the data schemas (extraModels), one envelope schema per event type and `WebhookEvent`,
 * their union discriminated by `type`: the body of every delivery.
 */
export function addWebhookEventSchemas(schemas: Record<string, object>): void {
  const mapping: Record<string, string> = {};
  for (const [type, data] of Object.entries(EVENT_DATA)) {
    const name = envelopeName(type);
    mapping[type] = `#/components/schemas/${name}`;
    schemas[name] = {
      type: 'object',
      required: ['type', 'timestamp', 'data'],
      additionalProperties: false,
      properties: {
        type: { type: 'string', enum: [type] },
        timestamp: { type: 'string', format: 'date-time', description: 'When the transaction that made the change began (UTC): PostgreSQL now()' },
        data: { $ref: `#/components/schemas/${data.name}` },
      },
    };
  }
  schemas.WebhookEvent = {
    description: 'The JSON body of a webhook delivery (spec §10): `type` names the event and the schema of `data`.',
    oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
    discriminator: { propertyName: 'type', mapping },
  };
}
