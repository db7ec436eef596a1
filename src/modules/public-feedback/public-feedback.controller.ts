import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyRequest as Request } from 'fastify';
import { Access, CurrentActor, Public } from '../../common/auth/access.decorator';
import { Actor } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { ApiPage } from '../../common/pagination/api-page.decorator';
import { Page } from '../../common/pagination/page';
import { PublicThrottlerGuard } from '../auth/public-throttler.guard';
import { CreateTicketDto, FeedbackQueryDto, FeedbackViewDto, ModerationDto, ReceiptDto, SubmitFeedbackDto, TicketDto } from './dto/feedback.dto';
import { PublicFeedbackService } from './public-feedback.service';

const STAFF = { roles: ['ADMIN' as const, 'HR_OPERATOR' as const], scope: 'feedback:read' as const };
const MODERATORS = { roles: ['ADMIN' as const, 'HR_OPERATOR' as const] };
const OWN_FEEDBACK = {
  description:
    '`own-feedback`: the response is about the caller\'s own employee, or counts in the service index of the caller\'s own ' +
    'unit (over the subtree of the nearest publicService unit among their employee\'s unit and its ancestors: it feeds their ' +
    'own appraisal); nobody moderates feedback about themselves',
  type: ProblemResponse,
};

@ApiTags('public-feedback')
@Controller('public-feedback')
export class PublicFeedbackController {
  constructor(private readonly feedback: PublicFeedbackService) {}

  @Post()
  @Public()
  @UseGuards(PublicThrottlerGuard)
  @HttpCode(202)
  @ApiOperation({
    summary: 'Give feedback on a service received (SKM, no login)',
    description:
      'The nine SKM elements (PermenPAN-RB 14/2017), each 1–4. With a valid `serviceTicket` the response is VERIFIED and can move the ' +
      "appraisal of the officer the ticket names (an `employeeNip` sent along must be that officer's; a ticket naming nobody verifies " +
      "feedback about the unit only and is refused with an `employeeNip`); without one it is PUBLISHED and counts only in the unit's " +
      'index. Without a ticket, one client IP may send `FEEDBACK_IP_LIMIT` responses (default 5) per `FEEDBACK_IP_WINDOW_SECONDS` (600); behind a proxy set `TRUST_PROXY`. ' +
      'One contact may respond once per unit and officer within 24 h. More than `FEEDBACK_EMPLOYEE_BURST` (20) responses about one ' +
      'officer within an hour are HELD for a moderator. The answer holds only a receipt id and the status: nothing personal is echoed, ' +
      'and the contact is kept only as a keyed hash.',
  })
  @ApiBody({
    type: SubmitFeedbackDto,
    examples: {
      default: {
        summary: 'About the officer and unit of the import examples (run those first); send serviceTicket to make it VERIFIED',
        value: {
          unitCode: 'DISHUB',
          employeeNip: '199001152015031001',
          serviceName: 'Izin trayek angkutan',
          channel: 'WEB',
          answers: { U1: 4, U2: 3, U3: 3, U4: 4, U5: 3, U6: 4, U7: 4, U8: 3, U9: 3 },
          comment: 'Petugas ramah, antrean cepat',
          respondent: { gender: 'FEMALE', ageGroup: 'AGE_30_39', education: 'D4_S1', occupation: 'WIRAUSAHA' },
        },
      },
    },
  })
  @ApiAcceptedResponse({ type: ReceiptDto })
  @ApiBadRequestResponse({ description: 'Invalid fields, an unknown unit, officer or ticket; the field is named in `errors`', type: ProblemResponse })
  @ApiConflictResponse({ description: 'Ticket already used (`ticket-used`) or expired (`ticket-expired`); same contact within 24 h (`duplicate-feedback`)', type: ProblemResponse })
  @ApiTooManyRequestsResponse({
    description:
      'Too many responses without a ticket from this address (`feedback-rate-limited`, answered before the unit or officer is looked ' +
      'up, so it reveals neither), or more than PUBLIC_THROTTLE_LIMIT requests a minute to this endpoint; see Retry-After',
    type: ProblemResponse,
  })
  submitPublicFeedback(@Body() dto: SubmitFeedbackDto, @Req() req: Request & { id?: string }): Promise<ReceiptDto> {
    return this.feedback.submit(dto, req.ip ?? req.socket?.remoteAddress ?? 'unknown', String(req.id));
  }

  @Post('tickets')
  @Access({ roles: ['ADMIN', 'HR_OPERATOR'], scope: 'feedback:tickets' })
  @ApiOperation({
    summary: 'Issue a single-use service ticket for a real service encounter',
    description:
      'Give the ticket to the citizen at the end of the service (printed, or as a QR code). Feedback sent with it within 30 days is ' +
      'VERIFIED; a second use or a use after expiry answers 409. The ticket is shown only here: only its hash is stored. HR operators ' +
      'issue tickets for units in their subtree; integrators (queue or counter systems) with an API key of scope `feedback:tickets`. ' +
      'Nobody issues a ticket naming themselves. The issuer is recorded; one issuer may issue `FEEDBACK_TICKETS_PER_ISSUER_DAY` ' +
      '(default 500) tickets per WITA day, and `FEEDBACK_TICKETS_PER_OFFICER_DAY` (20) tickets name one officer per WITA day, ' +
      'whoever issues them.',
  })
  @ApiBody({
    type: CreateTicketDto,
    examples: {
      default: {
        summary: 'For the officer and unit of the import examples (run those first)',
        value: { unitCode: 'DISHUB', employeeNip: '199001152015031001', serviceName: 'Izin trayek angkutan' },
      },
    },
  })
  @ApiCreatedResponse({ type: TicketDto })
  @ApiBadRequestResponse({ description: 'Unknown unit or officer, or a unit outside the caller\'s subtree', type: ProblemResponse })
  @ApiForbiddenResponse({ description: '`own-feedback`: the ticket would name the caller\'s own employee', type: ProblemResponse })
  @ApiTooManyRequestsResponse({
    description: '`ticket-rate-limited`: a daily cap is reached; Retry-After is the seconds until the next midnight WITA',
    type: ProblemResponse,
  })
  issueServiceTicket(@CurrentActor() actor: Actor, @Body() dto: CreateTicketDto): Promise<TicketDto> {
    return this.feedback.issueTicket(actor, dto);
  }

  @Get()
  @Access(STAFF)
  @ApiOperation({
    summary: 'List feedback for staff, newest first',
    description: 'HR operators see feedback on their subtree. Contacts, client addresses and tickets are never shown.',
  })
  @ApiPage(FeedbackViewDto)
  @ApiBadRequestResponse({ description: 'Invalid filter, or a withinUnitId outside the caller\'s subtree', type: ProblemResponse })
  listPublicFeedback(@CurrentActor() actor: Actor, @Query() q: FeedbackQueryDto): Promise<Page<FeedbackViewDto>> {
    return this.feedback.list(actor, q);
  }

  @Get(':id')
  @Access(STAFF)
  @ApiOperation({ summary: 'One response, for staff' })
  @ApiOkResponse({ type: FeedbackViewDto })
  @ApiNotFoundResponse({ description: 'No such feedback, or outside the caller\'s subtree', type: ProblemResponse })
  getPublicFeedback(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<FeedbackViewDto> {
    return this.feedback.get(actor, id);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Access(MODERATORS)
  @ApiOperation({
    summary: 'Publish a HELD (or earlier rejected) response',
    description: 'It becomes VERIFIED if it came with a ticket, else PUBLISHED, and the appraisals it can move are recalculated.',
  })
  @ApiBody({ type: ModerationDto, examples: { default: { value: { note: 'Diperiksa: isi sesuai layanan yang diterima' } } } })
  @ApiOkResponse({ type: FeedbackViewDto })
  @ApiNotFoundResponse({ description: 'No such feedback, or outside the caller\'s subtree', type: ProblemResponse })
  @ApiConflictResponse({ description: 'Already PUBLISHED or VERIFIED', type: ProblemResponse })
  @ApiForbiddenResponse(OWN_FEEDBACK)
  publishPublicFeedback(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ModerationDto): Promise<FeedbackViewDto> {
    return this.feedback.moderate(actor, id, 'publish', dto);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Access(MODERATORS)
  @ApiOperation({
    summary: 'Reject a response (HELD, or take down a PUBLISHED or VERIFIED one)',
    description: 'A rejected response counts nowhere; the appraisals it moved are recalculated.',
  })
  @ApiBody({ type: ModerationDto, examples: { default: { value: { note: 'Bagian dari kiriman massal dari satu sumber' } } } })
  @ApiOkResponse({ type: FeedbackViewDto })
  @ApiNotFoundResponse({ description: 'No such feedback, or outside the caller\'s subtree', type: ProblemResponse })
  @ApiConflictResponse({ description: 'Already REJECTED', type: ProblemResponse })
  @ApiForbiddenResponse(OWN_FEEDBACK)
  rejectPublicFeedback(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ModerationDto): Promise<FeedbackViewDto> {
    return this.feedback.moderate(actor, id, 'reject', dto);
  }
}
