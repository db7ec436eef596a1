import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply as Response } from 'fastify';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor, ROLES } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { ApiPage } from '../../common/pagination/api-page.decorator';
import { mapPage, Page } from '../../common/pagination/page';
import { AchievementsService } from './achievements.service';
import {
  AchievementDto,
  AchievementQueryDto,
  CreateAchievementDto,
  IDEMPOTENCY_KEY_PATTERN,
  RejectAchievementDto,
  UpdateAchievementDto,
} from './dto/achievement.dto';

const READ = { roles: [...ROLES], scope: 'appraisals:read' as const };
const WRITE = { roles: [...ROLES], scope: 'achievements:write' as const };
/** Verifying is a scope of its own, so no key both submits and verifies evidence (spec §8 rules 2 and 6). */
const VERIFY = { roles: [...ROLES], scope: 'achievements:verify' as const };

const NOT_FOUND = { description: 'No such achievement, or its appraisal is not visible to the caller', type: ProblemResponse };
const STATE_CONFLICT =
  '`period-not-open-for-achievements` (the period is not OPEN or EVALUATION), `appraisal-not-agreed` (the appraisal is not AGREED or ASSESSED)';
const UNTRAINED =
  '`assessor-untrained` (the period policy requireTrainedAssessor is on and the caller, a key\'s issuer, or a linked admin holds no assessor training valid today)';
const SUBMITTER_SIDE = 'The employee, the assessor, an HR operator of the unit subtree, an admin or an API key';
/** A part in the appraisal (AppraisalAccessService.require), besides the role and scope check; an API key acts as an admin. */
const SUBMITTER_FORBIDDEN = {
  description: '`not-your-part` (only the appraised employee, the assessor, an HR operator of the unit or an admin may)',
  type: ProblemResponse,
};
/** Spec §8 rules 1 and 2, besides the role and scope check. */
const DECIDER_FORBIDDEN = {
  description:
    '`not-your-part` (only the assessor or an admin may), `own-appraisal` (the caller is linked to the appraised employee), ' +
    '`four-eyes` (the caller, or the user who issued the calling key, submitted or corrected the achievement)',
  type: ProblemResponse,
};

const EXAMPLE = {
  targetId: '3f6c1d52-7a4e-4b8e-9a43-2d1f0b7c9e11',
  value: 42,
  occurredOn: '2026-11-14',
  description: 'Rekapitulasi 42 izin trayek yang diterbitkan pada minggu kedua',
  evidenceUrl: 'https://arsip.denpasarkota.go.id/bukti/2026/11/izin-trayek.pdf',
};

@ApiTags('achievements')
@Controller('achievements')
export class AchievementsController {
  constructor(private readonly achievements: AchievementsService) {}

  @Post()
  @Access(WRITE)
  @ApiOperation({
    summary: 'Record an achievement (realisasi) against a target',
    description:
      `${SUBMITTER_SIDE} may record one while the period is OPEN or EVALUATION and the appraisal AGREED or ASSESSED; ` +
      '`occurredOn` must lie within the period. It starts SUBMITTED and counts once the assessor verifies it. ' +
      'With an `Idempotency-Key`, a retry with the same body answers the first response again (201, header ' +
      '`Idempotent-Replayed: true`) and records nothing more; a failed request does not use up its key. Keys are ' +
      'remembered for 7 days.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Any unique string per intended achievement (a UUID is fine), per caller. The same key with a different body answers 409 `idempotency-key-reused`.',
    schema: { type: 'string', minLength: 1, maxLength: 200, pattern: IDEMPOTENCY_KEY_PATTERN.source },
  })
  @ApiBody({ type: CreateAchievementDto, examples: { default: { value: EXAMPLE } } })
  @ApiCreatedResponse({
    type: AchievementDto,
    headers: { 'Idempotent-Replayed': { description: '`true` when this is the stored answer to an earlier request', schema: { type: 'string' } } },
  })
  @ApiBadRequestResponse({
    description: 'Invalid fields (`errors[]` names them; `occurredOn` outside the period), or a malformed Idempotency-Key',
    type: ProblemResponse,
  })
  @ApiForbiddenResponse(SUBMITTER_FORBIDDEN)
  @ApiNotFoundResponse({ description: 'No such target, or its appraisal is not visible to the caller', type: ProblemResponse })
  @ApiConflictResponse({ description: `${STATE_CONFLICT}; \`idempotency-key-reused\` (same key, other body)`, type: ProblemResponse })
  async createAchievement(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateAchievementDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AchievementDto> {
    const result = await this.achievements.create(actor, dto, idempotencyKey);
    res.status(result.status);
    if (result.replayed) res.header('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Get()
  @Access(READ)
  @ApiOperation({
    summary: 'List the achievements of an appraisal or of a target',
    description: 'One of `appraisalId` or `targetId` is required. Ordered by `occurredOn`, then submission.',
  })
  @ApiPage(AchievementDto)
  @ApiBadRequestResponse({ description: 'Neither appraisalId nor targetId, or invalid parameters', type: ProblemResponse })
  @ApiNotFoundResponse({ description: 'No such appraisal or target, or not visible to the caller', type: ProblemResponse })
  async listAchievements(@CurrentActor() actor: Actor, @Query() q: AchievementQueryDto): Promise<Page<AchievementDto>> {
    return mapPage(await this.achievements.list(actor, q), (x) => AchievementDto.of(x));
  }

  @Get(':id')
  @Access(READ)
  @ApiOperation({ summary: 'Read an achievement' })
  @ApiOkResponse({ type: AchievementDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async getAchievement(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<AchievementDto> {
    return AchievementDto.of(await this.achievements.get(actor, id));
  }

  @Patch(':id')
  @Access(WRITE)
  @ApiOperation({
    summary: 'Correct a SUBMITTED or REJECTED achievement',
    description:
      `${SUBMITTER_SIDE} may change any subset of the fields under the same period and appraisal rules as recording. ` +
      'A REJECTED achievement becomes SUBMITTED again and its decision is cleared. A VERIFIED one cannot change. ' +
      'A change makes the caller its submitter; nobody who submitted or changed it may then verify or reject it (four eyes).',
  })
  @ApiBody({ type: UpdateAchievementDto, examples: { default: { value: { value: 45, evidenceUrl: EXAMPLE.evidenceUrl } } } })
  @ApiOkResponse({ type: AchievementDto })
  @ApiBadRequestResponse({ description: 'Invalid fields, or `occurredOn` outside the period', type: ProblemResponse })
  @ApiForbiddenResponse(SUBMITTER_FORBIDDEN)
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: `\`achievement-verified\`; ${STATE_CONFLICT}`, type: ProblemResponse })
  async updateAchievement(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateAchievementDto,
  ): Promise<AchievementDto> {
    return AchievementDto.of(await this.achievements.update(actor, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @Access(WRITE)
  @ApiOperation({
    summary: 'Delete a SUBMITTED or REJECTED achievement',
    description: `${SUBMITTER_SIDE} may delete one under the same period and appraisal rules as recording. A VERIFIED one cannot be deleted.`,
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiForbiddenResponse(SUBMITTER_FORBIDDEN)
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: `\`achievement-verified\`; ${STATE_CONFLICT}`, type: ProblemResponse })
  async deleteAchievement(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.achievements.remove(actor, id);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @Access(VERIFY)
  @ApiOperation({
    summary: 'Verify a SUBMITTED achievement (the assessor)',
    description:
      'By the assessor of the appraisal, an admin or an API key, never by whoever submitted or corrected it, nor on ' +
      'their own appraisal. Only VERIFIED achievements count in the score.',
  })
  @ApiOkResponse({ type: AchievementDto })
  @ApiForbiddenResponse(DECIDER_FORBIDDEN)
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: `\`achievement-not-submitted\` (already decided); ${STATE_CONFLICT}; ${UNTRAINED}`, type: ProblemResponse })
  async verifyAchievement(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<AchievementDto> {
    return AchievementDto.of(await this.achievements.verify(actor, id));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Access(VERIFY)
  @ApiOperation({
    summary: 'Reject a SUBMITTED achievement with a reason (the assessor)',
    description:
      'By the assessor of the appraisal, an admin or an API key, never by whoever submitted or corrected it, nor on ' +
      'their own appraisal. The submitter may correct it (PATCH), which submits it again.',
  })
  @ApiBody({ type: RejectAchievementDto, examples: { default: { value: { reason: 'Bukti dukung tidak memuat tanggal penerbitan izin' } } } })
  @ApiOkResponse({ type: AchievementDto })
  @ApiBadRequestResponse({ description: 'Missing or over-long reason', type: ProblemResponse })
  @ApiForbiddenResponse(DECIDER_FORBIDDEN)
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: `\`achievement-not-submitted\` (already decided); ${STATE_CONFLICT}; ${UNTRAINED}`, type: ProblemResponse })
  async rejectAchievement(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RejectAchievementDto,
  ): Promise<AchievementDto> {
    return AchievementDto.of(await this.achievements.reject(actor, id, dto));
  }
}
