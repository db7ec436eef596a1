import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res } from '@nestjs/common';
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
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply as Response } from 'fastify';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor, ROLES } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { ApiPage } from '../../common/pagination/api-page.decorator';
import { mapPage, Page } from '../../common/pagination/page';
import { AppraisalsService } from './appraisals.service';
import {
  AppraisalDto,
  AppraisalQueryDto,
  AssessBehaviourDto,
  CreateAppraisalDto,
  etagOf,
  GenerateAppraisalsDto,
  GenerateResultDto,
  ResultRatingOverrideDto,
  UpdateAppraisalDto,
} from './dto/appraisal.dto';
import { FileObjectionDto, ObjectionDto, ResolveObjectionDto } from './dto/objection.dto';
import { CreateTargetDto, TargetDto, UpdateTargetDto } from './dto/target.dto';
import { AppraisalEntity } from './entities/appraisal.entity';
import { ObjectionsService } from './objections.service';
import { ScoresService } from './scores.service';
import { ScoreDto } from './dto/score.dto';
import { TargetsService } from './targets.service';

const READ = { roles: [...ROLES], scope: 'appraisals:read' as const };
/** Whether the caller may act is decided by their part in the appraisal (assessor, reviewer, …), not a role. */
const WRITE = { roles: [...ROLES], scope: 'appraisals:write' as const };
const HR_WRITE = { roles: ['ADMIN' as const, 'HR_OPERATOR' as const], scope: 'appraisals:write' as const };
/** The assessor's and reviewer's judgements: never in the same scope as the appraisal's lifecycle (spec §8 rule 6). */
const ASSESS = { roles: [...ROLES], scope: 'assessments:write' as const };
const NOT_FOUND = { description: 'No such appraisal, or not visible to the caller', type: ProblemResponse };
const CONFLICT = { description: 'Wrong appraisal or period status, or a rule of the step fails', type: ProblemResponse };
/** The assessor actions of spec §11, which the period policy may reserve to trained assessors. */
const ASSESSOR_CONFLICT = {
  description:
    'Wrong appraisal or period status, or a rule of the step fails; `assessor-untrained` (the period policy requireTrainedAssessor is on and the ' +
    'caller, a key\'s issuer, or a linked admin holds no assessor training valid today)',
  type: ProblemResponse,
};
/** The ratings of the behaviour and objection examples. */
const EXAMPLE_RATINGS = { BERORIENTASI_PELAYANAN: 'ABOVE_EXPECTATION', AKUNTABEL: 'MEETS_EXPECTATION', KOMPETEN: 'MEETS_EXPECTATION', HARMONIS: 'MEETS_EXPECTATION', LOYAL: 'MEETS_EXPECTATION', ADAPTIF: 'ABOVE_EXPECTATION', KOLABORATIF: 'MEETS_EXPECTATION' };
/** Every answer with an appraisal carries its version (see respond). */
const WITH_ETAG = { type: AppraisalDto, headers: { ETag: { required: true, description: 'Version of the appraisal, for If-Match', schema: { type: 'string', example: '"v3"' } } } };
/** The 403 of a step that needs a part in the appraisal (AppraisalAccessService.require), besides the role and scope check. */
const partForbidden = (who: string) => ({ description: `\`not-your-part\` (only ${who} may)`, type: ProblemResponse });
/** The 403s of a decision on an appraisal (spec §8 rule 1), besides the role and scope check. */
const decisionForbidden = (who: string) => ({
  description: `${partForbidden(who).description}, \`own-appraisal\` (the caller is linked to the appraised employee: nobody decides on their own appraisal)`,
  type: ProblemResponse,
});
const TARGET_EDITORS = 'the appraised employee, the assessor, an HR operator of the unit or an admin';

@ApiTags('appraisals')
@Controller('appraisals')
export class AppraisalsController {
  constructor(
    private readonly appraisals: AppraisalsService,
    private readonly targets: TargetsService,
    private readonly objections: ObjectionsService,
    private readonly scores: ScoresService,
  ) {}

  private respond(res: Response, a: AppraisalEntity): AppraisalDto {
    res.header('ETag', etagOf(a));
    return AppraisalDto.of(a);
  }

  @Post()
  @Access(HR_WRITE)
  @ApiOperation({ summary: 'Create the appraisal (SKP) of one employee in one period; assessor and reviewer come from the supervisor chain' })
  @ApiBody({
    type: CreateAppraisalDto,
    examples: {
      default: {
        summary: 'Replace the ids with those of one of your employees and periods',
        value: { employeeId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', periodId: '1f0e9d8c-7b6a-4954-8372-6150f4e3d2c1' },
      },
    },
  })
  @ApiCreatedResponse(WITH_ETAG)
  @ApiConflictResponse({ description: 'Duplicate (with appraisalId), inactive employee, or closed period', type: ProblemResponse })
  async createAppraisal(@CurrentActor() actor: Actor, @Body() dto: CreateAppraisalDto, @Res({ passthrough: true }) res: Response): Promise<AppraisalDto> {
    return this.respond(res, await this.appraisals.create(actor, dto));
  }

  @Get()
  @Access(READ)
  @ApiOperation({ summary: 'List the appraisals the caller may see (own, assessed, reviewed, or in the HR subtree)' })
  @ApiPage(AppraisalDto)
  async listAppraisals(@CurrentActor() actor: Actor, @Query() q: AppraisalQueryDto): Promise<Page<AppraisalDto>> {
    return mapPage(await this.appraisals.list(actor, q), (x) => AppraisalDto.of(x));
  }

  @Get(':id')
  @Access(READ)
  @ApiOperation({ summary: 'Read an appraisal; the ETag header carries its version for If-Match' })
  @ApiOkResponse(WITH_ETAG)
  @ApiNotFoundResponse(NOT_FOUND)
  async getAppraisal(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<AppraisalDto> {
    return this.respond(res, await this.appraisals.get(actor, id));
  }

  @Patch(':id')
  @Access(HR_WRITE)
  @ApiOperation({
    summary: 'Reassign the assessor or reviewer, with a reason; send If-Match with the ETag to avoid overwriting a newer change',
    description:
      'An HR operator of the unit subtree or an admin, never on their own appraisal. Whenever `assessorId` or `reviewerId` ' +
      'changes, `reason` is required and written to the audit event. The new assessor or reviewer must be ACTIVE, must not be ' +
      'the appraised employee nor anyone they supervise (directly or not), must not be the caller, and the assessor is never ' +
      'also the reviewer. A request that changes neither changes nothing.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from a previous read, e.g. "v3"' })
  @ApiBody({
    type: UpdateAppraisalDto,
    examples: {
      assessor: {
        summary: 'Replace assessorId with the id of an active employee',
        value: { assessorId: '5a8d2e1f-3c4b-4f6a-9e7d-8b1c0a2f3e4d', reason: 'Kepala bidang dimutasi ke Dinas Kesehatan per 1 Oktober' },
      },
    },
  })
  @ApiOkResponse(WITH_ETAG)
  @ApiBadRequestResponse({
    description: 'Invalid fields, `reason` missing while the assessor or reviewer changes, or an unknown employee id',
    type: ProblemResponse,
  })
  @ApiForbiddenResponse(decisionForbidden('an HR operator of the unit or an admin'))
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiPreconditionFailedResponse({ description: 'The appraisal changed since the ETag was read', type: ProblemResponse })
  @ApiConflictResponse({
    description:
      '`invalid-appraisal-status` (FINALIZED); `invalid-assessor` with `field` and `condition`: `inactive` (not ACTIVE), `appraisee` ' +
      '(the appraised employee), `caller` (the caller\'s own employee), `supervised-by-appraisee` (someone the appraisee supervises, ' +
      'directly or not), `assessor-is-reviewer`',
    type: ProblemResponse,
  })
  async updateAppraisal(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateAppraisalDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AppraisalDto> {
    return this.respond(res, await this.appraisals.update(actor, id, dto, ifMatch));
  }

  @Post(':id/agree')
  @HttpCode(200)
  @Access(WRITE)
  @ApiOperation({ summary: 'The assessor agrees the targets: DRAFT → AGREED (at least one target, weights summing to 100)' })
  @ApiOkResponse(WITH_ETAG)
  @ApiForbiddenResponse(partForbidden('the assessor or an admin'))
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse(ASSESSOR_CONFLICT)
  async agreeAppraisal(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<AppraisalDto> {
    return this.respond(res, await this.appraisals.agree(actor, id));
  }

  @Get(':id/score')
  @Access({ roles: [...ROLES], scope: 'scores:read' })
  @ApiOperation({
    summary: 'The computed score of an appraisal with its breakdown (spec §5)',
    description: '`freshness` is STALE while a recalculation is pending for the appraisal.',
  })
  @ApiOkResponse({ type: ScoreDto })
  @ApiNotFoundResponse({ description: '`not-found`: no such appraisal, or not visible to the caller; `no-score`: it has no score yet (computed once it has targets)', type: ProblemResponse })
  getAppraisalScore(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ScoreDto> {
    return this.scores.get(actor, id);
  }

  @Get(':id/targets')
  @Access(READ)
  @ApiOperation({ summary: 'List the targets of an appraisal' })
  @ApiOkResponse({ type: [TargetDto] })
  @ApiNotFoundResponse(NOT_FOUND)
  async listTargets(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TargetDto[]> {
    return (await this.targets.list(actor, id)).map((t) => TargetDto.of(t));
  }

  @Post(':id/targets')
  @Access(WRITE)
  @ApiOperation({ summary: 'Add a target while the appraisal is DRAFT (employee, assessor, HR or admin)' })
  @ApiBody({
    type: CreateTargetDto,
    examples: {
      default: { summary: 'Replace indicatorId with the id of one of your indicators', value: { indicatorId: 'a1b2c3d4-e5f6-4789-8abc-def012345678', target: 15, weight: 60 } },
    },
  })
  @ApiCreatedResponse({ type: TargetDto })
  @ApiForbiddenResponse(partForbidden(TARGET_EDITORS))
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: 'Not DRAFT, or the indicator already has a target here', type: ProblemResponse })
  async createTarget(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateTargetDto): Promise<TargetDto> {
    return TargetDto.of(await this.targets.add(actor, id, dto));
  }

  @Patch(':id/targets/:targetId')
  @Access(WRITE)
  @ApiOperation({ summary: 'Change a target value, weight or cascade while DRAFT' })
  @ApiBody({ type: UpdateTargetDto, examples: { default: { value: { target: 12, weight: 40 } } } })
  @ApiOkResponse({ type: TargetDto })
  @ApiForbiddenResponse(partForbidden(TARGET_EDITORS))
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse(CONFLICT)
  async updateTarget(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('targetId', ParseUUIDPipe) targetId: string,
    @Body() dto: UpdateTargetDto,
  ): Promise<TargetDto> {
    return TargetDto.of(await this.targets.update(actor, id, targetId, dto));
  }

  @Delete(':id/targets/:targetId')
  @HttpCode(204)
  @Access(WRITE)
  @ApiOperation({ summary: 'Remove a target while DRAFT (not one with achievements or cascaded targets)' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiForbiddenResponse(partForbidden(TARGET_EDITORS))
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse(CONFLICT)
  async deleteTarget(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('targetId', ParseUUIDPipe) targetId: string,
  ): Promise<void> {
    await this.targets.remove(actor, id, targetId);
  }

  @Put(':id/behaviour')
  @Access(ASSESS)
  @ApiOperation({ summary: 'The assessor rates the seven BerAKHLAK aspects (period OPEN or EVALUATION); sets ASSESSED' })
  @ApiBody({
    type: AssessBehaviourDto,
    examples: { default: { value: { ratings: EXAMPLE_RATINGS, notes: 'Sigap melayani pemohon izin; perlu meningkatkan ketelitian laporan' } } },
  })
  @ApiOkResponse(WITH_ETAG)
  @ApiForbiddenResponse(decisionForbidden('the assessor or an admin'))
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse(ASSESSOR_CONFLICT)
  async assessBehaviour(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AssessBehaviourDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AppraisalDto> {
    return this.respond(res, await this.appraisals.assessBehaviour(actor, id, dto));
  }

  @Put(':id/result-rating-override')
  @Access(ASSESS)
  @ApiOperation({ summary: 'The assessor overrides the computed result rating, with a mandatory reason (audited)' })
  @ApiBody({
    type: ResultRatingOverrideDto,
    examples: {
      default: { value: { rating: 'ABOVE_EXPECTATION', reason: 'Target tercapai lebih awal karena kondisi lapangan; realisasi tidak tercatat lengkap' } },
    },
  })
  @ApiOkResponse(WITH_ETAG)
  @ApiForbiddenResponse(decisionForbidden('the assessor or an admin'))
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({
    description: `${ASSESSOR_CONFLICT.description}; \`rating-from-organisation\` (the appraisee heads the appraisal's unit and its organisation predicate is their result rating, spec §5.4)`,
    type: ProblemResponse,
  })
  async overrideResultRating(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ResultRatingOverrideDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AppraisalDto> {
    return this.respond(res, await this.appraisals.overrideResultRating(actor, id, dto));
  }

  @Delete(':id/result-rating-override')
  @Access(ASSESS)
  @ApiOperation({ summary: 'The assessor withdraws the override; the computed rating applies again' })
  @ApiOkResponse(WITH_ETAG)
  @ApiForbiddenResponse(decisionForbidden('the assessor or an admin'))
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse(ASSESSOR_CONFLICT)
  async withdrawResultRatingOverride(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AppraisalDto> {
    return this.respond(res, await this.appraisals.withdrawOverride(actor, id));
  }

  @Post(':id/objection')
  @Access(WRITE)
  @ApiOperation({ summary: 'The employee objects to a finalised appraisal, within 14 days of finalisation (PP 30/2019 art. 59)' })
  @ApiBody({ type: FileObjectionDto, examples: { default: { value: { reason: 'Realisasi bulan Oktober belum diverifikasi sebelum periode ditutup' } } } })
  @ApiCreatedResponse({ type: ObjectionDto })
  @ApiForbiddenResponse(partForbidden('the appraised employee (or a key they issued)'))
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: 'Not finalised, window closed, or an objection exists', type: ProblemResponse })
  async fileObjection(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: FileObjectionDto): Promise<ObjectionDto> {
    return ObjectionDto.of(await this.objections.file(actor, id, dto));
  }

  @Get(':id/objection')
  @Access(READ)
  @ApiOperation({ summary: 'Read the objection of an appraisal' })
  @ApiOkResponse({ type: ObjectionDto })
  @ApiNotFoundResponse({ description: 'No such appraisal, or it has no objection', type: ProblemResponse })
  async getObjection(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ObjectionDto> {
    return ObjectionDto.of(await this.objections.get(actor, id));
  }

  @Post(':id/objection/resolve')
  @HttpCode(200)
  @Access(ASSESS)
  @ApiOperation({
    summary: 'The reviewer decides the objection; final and audited',
    description: 'ACCEPTED may replace the behaviour ratings and set a result-rating override; the score is then recalculated.',
  })
  @ApiBody({
    type: ResolveObjectionDto,
    examples: {
      accepted: {
        summary: 'Accept, with new ratings and an override',
        value: { decision: 'ACCEPTED', note: 'Bukti dukung diterima; penilaian perilaku disesuaikan', behaviourRatings: EXAMPLE_RATINGS, resultRatingOverride: 'MEETS_EXPECTATION' },
      },
      rejected: { summary: 'Reject', value: { decision: 'REJECTED', note: 'Realisasi Oktober tidak didukung bukti yang sah' } },
    },
  })
  @ApiOkResponse({ type: ObjectionDto })
  @ApiForbiddenResponse({
    description:
      `${decisionForbidden('the reviewer or an admin').description} (or an account whose password someone linked to that employee set), ` +
      '`four-eyes` (the caller could have filed the objection: they filed it, issued the key that did, or set the filer\'s password, ' +
      'when it was filed or since)',
    type: ProblemResponse,
  })
  @ApiNotFoundResponse({ description: 'No such appraisal, or it has no objection', type: ProblemResponse })
  @ApiConflictResponse({
    description: 'Already decided (`objection-resolved`); `rating-from-organisation` (an accepted objection with resultRatingOverride for a unit head rated by the organisation, spec §5.4)',
    type: ProblemResponse,
  })
  async resolveObjection(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ResolveObjectionDto): Promise<ObjectionDto> {
    return ObjectionDto.of(await this.objections.resolve(actor, id, dto));
  }
}

@ApiTags('appraisals')
@Controller('periods')
export class PeriodAppraisalsController {
  constructor(private readonly appraisals: AppraisalsService) {}

  @Post(':id/appraisals/generate')
  @HttpCode(200)
  @Access(HR_WRITE)
  @ApiOperation({
    summary: 'Create the missing appraisals of a period for every active employee in scope (idempotent)',
    description: 'HR operators generate within their subtree. Answers how many were created and how many existed.',
  })
  @ApiBody({
    type: GenerateAppraisalsDto,
    examples: {
      all: { summary: 'Every active employee in the caller\'s scope', value: {} },
      subtree: { summary: 'One unit subtree: replace withinUnitId with the id of one of your units', value: { withinUnitId: 'b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d' } },
    },
  })
  @ApiOkResponse({ type: GenerateResultDto })
  @ApiNotFoundResponse({ description: 'No such period', type: ProblemResponse })
  @ApiConflictResponse({ description: 'The period is closed', type: ProblemResponse })
  generateAppraisals(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: GenerateAppraisalsDto,
  ): Promise<GenerateResultDto> {
    return this.appraisals.generate(actor, id, dto.withinUnitId);
  }
}
