import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { DistributionService } from './distribution.service';
import { AssessorStatsQueryDto, AssessorStatsReportDto, TrainingNeedDto, TrainingNeedsQueryDto } from './dto/assessor-stats.dto';
import { ApiPage } from '../../common/pagination/api-page.decorator';
import { Page } from '../../common/pagination/page';
import { DistributionDto, DistributionQueryDto } from './dto/distribution.dto';
import { OrganisationPredicateDto, SetOrganisationPredicateDto } from './dto/organisation-predicate.dto';

const PREDICATE_READ = { roles: ['ADMIN' as const, 'HR_OPERATOR' as const], scope: 'appraisals:read' as const };
/** The organisation predicate drives the curve a period is closed against: period management, not appraisal work. */
const PREDICATE_WRITE = { roles: ['ADMIN' as const], scope: 'periods:manage' as const };
/** HR reads of scores: admins, HR operators (their subtree) and keys with scores:read; the exports take it too. */
export const SCORES_READ = { roles: ['ADMIN' as const, 'HR_OPERATOR' as const], scope: 'scores:read' as const };

@ApiTags('distribution')
@Controller('periods')
export class DistributionController {
  constructor(private readonly distribution: DistributionService) {}

  @Put(':id/units/:unitId/organisation-predicate')
  @Access(PREDICATE_WRITE)
  @ApiOperation({
    summary: 'Set the organisation predicate (predikat kinerja organisasi) of a unit for a period',
    description:
      'Inserts or replaces it until the period is CLOSED; it fixes the distribution curve of the unit subtree. Sending the ' +
      'current value again changes nothing (setBy and setAt stay). It is also the result rating of the unit\'s head (spec §5.4): ' +
      'a change marks the head\'s appraisal in the period for recalculation, and nothing else. Audited as organisation-predicate.set ' +
      'with before and after.',
  })
  @ApiBody({ type: SetOrganisationPredicateDto, examples: { baik: { value: { predicate: 'BAIK' } }, istimewa: { value: { predicate: 'ISTIMEWA' } } } })
  @ApiOkResponse({ type: OrganisationPredicateDto })
  @ApiBadRequestResponse({ description: 'Invalid ids or predicate, or unknown fields', type: ProblemResponse })
  @ApiNotFoundResponse({ description: 'No such period or unit', type: ProblemResponse })
  @ApiForbiddenResponse({
    description:
      '`own-appraisal`: the unit holds the caller\'s own appraisal (a key: its issuer\'s; they work in the unit or below it, ' +
      'or head it): the predicate bounds their rating through the curve, and is their result rating if they head it (spec §5.4, §8)',
    type: ProblemResponse,
  })
  @ApiConflictResponse({ description: 'The period is CLOSED (period-closed)', type: ProblemResponse })
  async setOrganisationPredicate(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('unitId', ParseUUIDPipe) unitId: string,
    @Body() dto: SetOrganisationPredicateDto,
  ): Promise<OrganisationPredicateDto> {
    return OrganisationPredicateDto.of(await this.distribution.setOrganisationPredicate(actor, id, unitId, dto));
  }

  @Get(':id/units/:unitId/organisation-predicate')
  @Access(PREDICATE_READ)
  @ApiOperation({ summary: 'Read the organisation predicate of a unit for a period', description: 'HR operators read units of their subtree only.' })
  @ApiOkResponse({ type: OrganisationPredicateDto })
  @ApiNotFoundResponse({ description: 'No such period, unit not visible to the caller, or no predicate set', type: ProblemResponse })
  async getOrganisationPredicate(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('unitId', ParseUUIDPipe) unitId: string,
  ): Promise<OrganisationPredicateDto> {
    return OrganisationPredicateDto.of(await this.distribution.getOrganisationPredicate(actor, id, unitId));
  }

  @Get(':id/distribution')
  @Access(SCORES_READ)
  @ApiOperation({
    summary: 'Predicate distribution of a unit subtree in a period, checked against the curve of its organisation predicate',
    description:
      'Counts the appraisals of the period whose unit (the employee\'s unit when the appraisal was created) is `unitId` or ' +
      'below it, by the predicate of their current score; `unscored` counts those without a predicate (no score yet, or ' +
      'behaviour not assessed). `total` is the appraisals with a predicate, and the shares are taken over them only ' +
      '(count / total, rounded half up to 4 decimals; 0 when total is 0). `failures` lists every rule of the curve of the ' +
      'unit\'s organisation predicate that fails (spec §5): ISTIMEWA — SANGAT_BAIK ≤ 70%; BAIK — BAIK ≤ 70% and, with 5 or ' +
      'more appraisals with a predicate, at least one BUTUH_PERBAIKAN or KURANG; BUTUH_PERBAIKAN — BUTUH_PERBAIKAN ≥ 60%, ' +
      'SANGAT_BAIK ≤ 10%; KURANG — KURANG ≥ 60%, BUTUH_PERBAIKAN ≥ 10%, SANGAT_BAIK ≤ 10%; SANGAT_KURANG — SANGAT_KURANG ≥ ' +
      '60%, KURANG + BUTUH_PERBAIKAN ≥ 10%, no SANGAT_BAIK. Bounds are compared exactly on the counts, not on the rounded ' +
      'shares. Without an organisation predicate no rule applies; with no appraisal that has a predicate no share rule ' +
      'fails. HR operators read units of their subtree only.',
  })
  @ApiOkResponse({ type: DistributionDto })
  @ApiBadRequestResponse({ description: 'Missing or invalid unitId', type: ProblemResponse })
  @ApiNotFoundResponse({ description: 'No such period, or unit not visible to the caller', type: ProblemResponse })
  getDistribution(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: DistributionQueryDto,
  ): Promise<DistributionDto> {
    return this.distribution.distribution(actor, id, q.unitId);
  }

  @Get(':id/assessor-stats')
  @Access(SCORES_READ)
  @ApiOperation({
    summary: 'Assessor calibration: how each assessor\'s behaviour scores compare with the other assessors of the period',
    description:
      'Lists every assessor (the appraisal\'s assessorId) with at least 5 appraisees with a score among the appraisals in ' +
      'view: all of the period, or for an HR operator those whose unit is in their subtree, narrowed by `withinUnitId`. ' +
      '`count` is those appraisees; `meanBehaviourScore` is over the ones with a behaviour score and `meanResultScore` over ' +
      'all of them (2 decimals, half away from zero); `shareAboveBehaviour` is the share of the appraisees with a behaviour ' +
      'rating that are ABOVE_EXPECTATION (4 decimals); `overrides` counts appraisals with a result rating override. `z` ' +
      '(2 decimals) measures the unrounded meanBehaviourScore against `population`: the mean and population standard ' +
      'deviation of the mean behaviourScore of every assessor of the whole period with 5 or more appraisees with a score, ' +
      'whatever the view; null when that population has fewer than 2 assessors or no spread. `flag` is LENIENT when the ' +
      'shown z ≥ 1.5 and STRICT when it is ≤ −1.5. `trained` is whether the assessor holds an assessor training valid ' +
      'today (WITA); `dialoguesHeld` counts the acknowledged performance dialogues recorded while they were the ' +
      'appraisal\'s assessor, on appraisals in view (spec §11). Sorted by name, then NIP.',
  })
  @ApiOkResponse({ type: AssessorStatsReportDto })
  @ApiBadRequestResponse({ description: 'Invalid withinUnitId, or no visible unit has it', type: ProblemResponse })
  @ApiNotFoundResponse({ description: 'No such period', type: ProblemResponse })
  getAssessorStats(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: AssessorStatsQueryDto,
  ): Promise<AssessorStatsReportDto> {
    return this.distribution.assessorStats(actor, id, q.withinUnitId);
  }

  @Get(':id/training-needs')
  @Access(SCORES_READ)
  @ApiOperation({
    summary: 'The assessors to train: untrained ones with appraisees in the period, and those calibration flags',
    description:
      'Over the appraisals in view, as in assessor-stats (all of the period, or an HR operator\'s subtree, narrowed by ' +
      '`withinUnitId`): every assessor of one of them who holds no assessor training valid today (WITA), reason ' +
      '`UNTRAINED`, and every assessor assessor-stats flags, reason `LENIENT` or `STRICT` (both reasons when both ' +
      'hold). `appraisees` counts their appraisals in view, scored or not. Sorted by name, then NIP (spec §11).',
  })
  @ApiPage(TrainingNeedDto)
  @ApiBadRequestResponse({ description: 'Invalid parameters, or no visible unit has withinUnitId', type: ProblemResponse })
  @ApiNotFoundResponse({ description: 'No such period', type: ProblemResponse })
  async getTrainingNeeds(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: TrainingNeedsQueryDto,
  ): Promise<Page<TrainingNeedDto>> {
    return this.distribution.trainingNeeds(actor, id, q);
  }
}
