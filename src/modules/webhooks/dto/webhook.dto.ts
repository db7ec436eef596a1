import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '../../webhook-outbox/events';
import { DELIVERY_STATUSES, DeliveryStatus } from '../entities/webhook-delivery.entity';
import { WebhookDeliveryAttemptEntity } from '../entities/webhook-delivery-attempt.entity';
import { ENDPOINT_STATUSES, EndpointStatus, WebhookEndpointEntity } from '../entities/webhook-endpoint.entity';
import { DeliveryView } from '../webhooks.repository';
import { trim, trimToNull, isSet } from '../../../common/validation/transforms';

export const MAX_URL = 2000;
export const MAX_DESCRIPTION = 500;

const URL_DOC =
  'http or https (https only in production), without credentials; every address the host ' +
  'resolves to must be public (not loopback, private, link-local, unique-local, CGNAT, multicast or unspecified) unless the host is in ' +
  'WEBHOOK_ALLOWED_HOSTS. Checked again before every attempt, and the connection goes to the address checked.';
const EVENTS_DOC = 'The event types sent to this endpoint: at least one, no repeats.';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://simpeg.denpasarkota.go.id/hooks/capaian', maxLength: MAX_URL, description: URL_DOC })
  @Transform(trim)
  @IsString()
  @MaxLength(MAX_URL)
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, minItems: 1, uniqueItems: true, example: ['score.changed', 'appraisal.finalized'], description: EVENTS_DOC })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events: WebhookEventType[];

  @ApiPropertyOptional({ example: 'SIMPEG: sinkronisasi nilai', maxLength: MAX_DESCRIPTION, nullable: true, type: String, description: 'Blank is stored as null' })
  @IsOptional()
  @Transform(trimToNull)
  @ValidateIf(isSet)
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description?: string | null;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ example: 'https://simpeg.denpasarkota.go.id/hooks/capaian-v2', maxLength: MAX_URL, description: URL_DOC })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(MAX_URL)
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, minItems: 1, uniqueItems: true, description: EVENTS_DOC })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events?: WebhookEventType[];

  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION, nullable: true, type: String, description: 'null or blank clears it' })
  @IsOptional()
  @Transform(trimToNull)
  @ValidateIf(isSet)
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description?: string | null;

  @ApiPropertyOptional({
    description: 'true re-enables a DISABLED endpoint (clears disabledReason, disabledAt and failingSince); false disables it (reason `manual`, its pending deliveries fail)',
  })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://simpeg.denpasarkota.go.id/hooks/capaian' }) url: string;
  @ApiProperty({ nullable: true, type: String, example: 'SIMPEG: sinkronisasi nilai' }) description: string | null;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) events: WebhookEventType[];
  @ApiProperty({ enum: ENDPOINT_STATUSES, description: 'Only ENABLED endpoints get new events' }) status: EndpointStatus;
  @ApiProperty({ nullable: true, type: String, enum: ['gone', 'failing', 'manual'], description: '`gone`: the receiver answered 410; `failing`: 5 days of failed attempts; `manual`: PATCH enabled=false' })
  disabledReason: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) disabledAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Since when every attempt failed; null after a success. Five days of it disable the endpoint' })
  failingSince: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Until then the secret replaced by the last rotation signs too' })
  previousSecretUntil: Date | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The user or API key that created it' }) createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;

  static of(e: WebhookEndpointEntity): WebhookDto {
    return {
      id: e.id,
      url: e.url,
      description: e.description,
      events: e.events as WebhookEventType[],
      status: e.status,
      disabledReason: e.disabledReason,
      disabledAt: e.disabledAt,
      failingSince: e.failingSince,
      previousSecretUntil: e.previousSecretUntil,
      createdBy: e.createdBy,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}

export class WebhookWithSecretDto extends WebhookDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw6a3QKNwLUWw=',
    description: 'The signing secret (`whsec_` + base64 of 32 bytes), shown only in this answer; give it to your Standard Webhooks library',
  })
  secret: string;

  static withSecret(e: WebhookEndpointEntity, secret: string): WebhookWithSecretDto {
    return { ...WebhookDto.of(e), secret };
  }
}

export class TestDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'The delivery of the `webhook.test` event; follow it in GET /webhooks/{id}/deliveries' })
  deliveryId: string;
}

export class DeliveryAttemptDto {
  @ApiProperty({ format: 'date-time' }) attemptedAt: Date;
  @ApiProperty({ nullable: true, type: Number, example: 200, description: 'null: no answer' }) statusCode: number | null;
  @ApiProperty({ example: 84 }) durationMs: number;
  @ApiProperty({ nullable: true, type: String, example: 'timeout', description: 'Why no answer came: `timeout`, a socket error code, or `address-refused: …` (nothing was sent)' })
  error: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The first 1 KB of the receiver's answer" }) responseBody: string | null;

  static of(a: WebhookDeliveryAttemptEntity): DeliveryAttemptDto {
    return { attemptedAt: a.attemptedAt, statusCode: a.statusCode, durationMs: a.durationMs, error: a.error, responseBody: a.responseBody };
  }
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The event: the `webhook-id` header of every attempt' }) eventId: string;
  @ApiProperty({ example: 'score.changed', description: 'One of the subscribable types, or `webhook.test`' }) eventType: string;
  @ApiProperty({ enum: DELIVERY_STATUSES, description: 'FAILED: the retries ran out, the receiver answered 410, or the endpoint was disabled' })
  status: DeliveryStatus;
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiProperty({ nullable: true, type: Number, example: 200 }) lastStatusCode: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the next attempt is due (PENDING only)' }) nextAttemptAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deliveredAt: Date | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: [DeliveryAttemptDto], description: 'Every attempt, oldest first' }) attemptLog: DeliveryAttemptDto[];

  static of(d: DeliveryView): DeliveryDto {
    return {
      id: d.id,
      eventId: d.eventId,
      eventType: d.eventType,
      status: d.status,
      attempts: d.attempts,
      lastStatusCode: d.lastStatusCode,
      nextAttemptAt: d.status === 'PENDING' ? d.nextAttemptAt : null,
      deliveredAt: d.deliveredAt,
      createdAt: d.createdAt,
      attemptLog: d.attemptLog.map((a) => DeliveryAttemptDto.of(a)),
    };
  }
}
