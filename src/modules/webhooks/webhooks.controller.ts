import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { ApiPage } from '../../common/pagination/api-page.decorator';
import { mapPage, Page, PageQueryDto } from '../../common/pagination/page';
import { CreateWebhookDto, DeliveryDto, TestDeliveryDto, UpdateWebhookDto, WebhookDto, WebhookWithSecretDto } from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

const MANAGE = { roles: ['ADMIN' as const], scope: 'webhooks:manage' as const };
const NOT_FOUND = { description: 'No such webhook', type: ProblemResponse };
const DISABLED = { description: '`webhook-disabled`: the endpoint is DISABLED; re-enable it with `PATCH {enabled: true}` first. Nothing is queued or audited.', type: ProblemResponse };
const SIGNING =
  'Every delivery is a POST of the envelope `{type, timestamp, data}` signed as Standard Webhooks 1.0 prescribes (headers ' +
  '`webhook-id` (the event id, the same on every retry), `webhook-timestamp`, `webhook-signature`), expecting a 2xx within ' +
  'WEBHOOK_TIMEOUT_MS (15 s); redirects are not followed. Failed attempts are retried after about 5 s, 5 min, 30 min, 2 h, 5 h, ' +
  '10 h and 10 h (WEBHOOK_RETRY_SCHEDULE); a 410 Gone or 5 days of failures disable the endpoint (audited). Receivers de-duplicate on `webhook-id`.';

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Access(MANAGE)
  @ApiOperation({
    summary: 'Subscribe an endpoint to webhook events',
    description: `Answers the signing secret once; it is stored encrypted and never shown again (rotate it to get a new one). ${SIGNING} Audited as webhook.create (without the secret).`,
  })
  @ApiBody({ type: CreateWebhookDto, examples: { default: { value: { url: 'https://simpeg.denpasarkota.go.id/hooks/capaian', events: ['score.changed', 'appraisal.finalized'], description: 'SIMPEG: sinkronisasi nilai' } } } })
  @ApiCreatedResponse({ type: WebhookWithSecretDto })
  @ApiBadRequestResponse({ description: 'Invalid fields; `url` not http(s), with credentials, not https in production, or resolving to a non-public address', type: ProblemResponse })
  async createWebhook(@CurrentActor() actor: Actor, @Body() dto: CreateWebhookDto): Promise<WebhookWithSecretDto> {
    const { endpoint, secret } = await this.webhooks.create(actor, dto);
    return WebhookWithSecretDto.withSecret(endpoint, secret);
  }

  @Get()
  @Access(MANAGE)
  @ApiOperation({ summary: 'List the webhook endpoints', description: 'Oldest first; never a secret.' })
  @ApiPage(WebhookDto)
  @ApiBadRequestResponse({ description: 'Invalid parameters', type: ProblemResponse })
  async listWebhooks(@Query() q: PageQueryDto): Promise<Page<WebhookDto>> {
    return mapPage(await this.webhooks.list(q), (e) => WebhookDto.of(e));
  }

  @Get(':id')
  @Access(MANAGE)
  @ApiOperation({ summary: 'Read a webhook endpoint', description: 'Its status, and why and when it was disabled; never the secret.' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiBadRequestResponse({ description: 'Invalid id', type: ProblemResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  async getWebhook(@Param('id', ParseUUIDPipe) id: string): Promise<WebhookDto> {
    return WebhookDto.of(await this.webhooks.get(id));
  }

  @Patch(':id')
  @Access(MANAGE)
  @ApiOperation({
    summary: 'Change a webhook endpoint, or re-enable a disabled one',
    description: 'Any of url, events, description; `enabled: true` re-enables a DISABLED endpoint (deliveries that failed meanwhile stay FAILED: retry them), `enabled: false` disables it. Audited as webhook.update.',
  })
  @ApiBody({ type: UpdateWebhookDto, examples: { reEnable: { value: { enabled: true } }, events: { value: { events: ['score.changed'] } } } })
  @ApiOkResponse({ type: WebhookDto })
  @ApiBadRequestResponse({ description: 'Invalid fields; see POST /webhooks for `url`', type: ProblemResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  async updateWebhook(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookDto> {
    return WebhookDto.of(await this.webhooks.update(actor, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @Access(MANAGE)
  @ApiOperation({ summary: 'Delete a webhook endpoint', description: 'With its deliveries; nothing more is sent. Audited as webhook.delete.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse({ description: 'Invalid id', type: ProblemResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  async deleteWebhook(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.webhooks.remove(actor, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @Access(MANAGE)
  @ApiOperation({
    summary: 'Rotate the signing secret of a webhook endpoint',
    description:
      'Answers the new secret once. For 24 hours the previous secret signs too: each delivery carries both signatures, space-separated in ' +
      '`webhook-signature`, so receivers switch over at their pace. Audited as webhook.rotate-secret (without the secrets).',
  })
  @ApiOkResponse({ type: WebhookWithSecretDto })
  @ApiBadRequestResponse({ description: 'Invalid id', type: ProblemResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  async rotateWebhookSecret(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<WebhookWithSecretDto> {
    const { endpoint, secret } = await this.webhooks.rotateSecret(actor, id);
    return WebhookWithSecretDto.withSecret(endpoint, secret);
  }

  @Post(':id/test')
  @HttpCode(202)
  @Access(MANAGE)
  @ApiOperation({
    summary: 'Send a test event to a webhook endpoint',
    description:
      'A `webhook.test` event `{webhookId, message}` to this endpoint only, whatever it subscribes to, delivered like any other. ' +
      'A DISABLED endpoint answers 409 `webhook-disabled`. Audited as webhook.test.',
  })
  @ApiAcceptedResponse({ type: TestDeliveryDto })
  @ApiBadRequestResponse({ description: 'Invalid id', type: ProblemResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse(DISABLED)
  async testWebhook(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TestDeliveryDto> {
    return { deliveryId: await this.webhooks.sendTest(actor, id) };
  }

  @Get(':id/deliveries')
  @Access(MANAGE)
  @ApiOperation({ summary: 'List the deliveries of a webhook endpoint', description: 'Newest first, each with its attempts (time, status code, duration, error, the first 1 KB of the answer). ' +
      'Events older than 30 days go with their deliveries and attempts, unless a delivery is PENDING or was attempted or retried within the 30 days.' })
  @ApiPage(DeliveryDto)
  @ApiBadRequestResponse({ description: 'Invalid parameters', type: ProblemResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  async listWebhookDeliveries(@Param('id', ParseUUIDPipe) id: string, @Query() q: PageQueryDto): Promise<Page<DeliveryDto>> {
    return mapPage(await this.webhooks.listDeliveries(id, q), (d) => DeliveryDto.of(d));
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @Access(MANAGE)
  @ApiOperation({
    summary: 'Retry a delivery',
    description:
      'PENDING again and due now, whatever its status; after the retry schedule ran out it gets one more attempt. ' +
      'Asked for while an attempt is under way: should that attempt fail, the next one is due at once (not after the back-off); should it succeed, the delivery stays DELIVERED. ' +
      'A DISABLED endpoint answers 409 `webhook-disabled`. Audited as webhook.delivery-retry.',
  })
  @ApiAcceptedResponse({ type: DeliveryDto })
  @ApiBadRequestResponse({ description: 'Invalid id', type: ProblemResponse })
  @ApiNotFoundResponse({ description: 'No such webhook, or no such delivery of it', type: ProblemResponse })
  @ApiConflictResponse(DISABLED)
  async retryWebhookDelivery(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
  ): Promise<DeliveryDto> {
    return DeliveryDto.of(await this.webhooks.retryDelivery(actor, id, deliveryId));
  }
}
