import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { ApiPage } from '../../common/pagination/api-page.decorator';
import { Page } from '../../common/pagination/page';
import { CandidateDto, CandidateQueryDto, CreateShortlistDto, DecisionDto, DecisionViewDto, ShortlistDto } from './dto/candidates.dto';
import { PromotionCandidatesService } from './promotion-candidates.service';

const READ = { roles: ['ADMIN' as const, 'HR_OPERATOR' as const], scope: 'promotion:read' as const };
/** Shortlists and their decisions are Baperjakat's work: people only, no API key (spec §8 rule 6). */
const WRITE = { roles: ['ADMIN' as const, 'HR_OPERATOR' as const] };

@ApiTags('promotion-candidates')
@Controller('promotion-candidates')
export class PromotionCandidatesController {
  constructor(private readonly candidates: PromotionCandidatesService) {}

  @Get()
  @Access(READ)
  @ApiOperation({
    summary: 'Employees who consistently perform well, ranked (spec §7)',
    description:
      'Eligible: ACTIVE; a FINALIZED appraisal in each of the last `window` CLOSED periods of `periodType` ending on or before ' +
      '`asOf`; every predicate at least `minPredicate`; in rank at least `minYearsInRank` years; no MODERATE or HEAVY penalty in ' +
      'the `penaltyYears` before `asOf`. Ranked by mean finalScore, then SANGAT_BAIK count, then the latest finalScore, then NIP. ' +
      'HR operators see their subtree.',
  })
  @ApiPage(CandidateDto)
  @ApiBadRequestResponse({ description: 'Invalid parameters, or a withinUnitId outside the caller\'s subtree', type: ProblemResponse })
  listPromotionCandidates(@CurrentActor() actor: Actor, @Query() q: CandidateQueryDto): Promise<Page<CandidateDto>> {
    return this.candidates.list(actor, q);
  }

  @Post('shortlists')
  @Access(WRITE)
  @ApiOperation({ summary: 'Freeze the computed list with its parameters for Baperjakat' })
  @ApiBody({
    type: CreateShortlistDto,
    examples: {
      default: {
        value: { name: 'Baperjakat 2027-I: Kepala Bidang', parameters: { periodType: 'ANNUAL', window: 2, minPredicate: 'BAIK', minYearsInRank: 4, jobType: 'ADMINISTRATOR' } },
      },
    },
  })
  @ApiCreatedResponse({ type: ShortlistDto })
  createShortlist(@CurrentActor() actor: Actor, @Body() dto: CreateShortlistDto): Promise<ShortlistDto> {
    return this.candidates.createShortlist(actor, dto);
  }

  @Get('shortlists/:id')
  @Access(READ)
  @ApiOperation({ summary: 'A shortlist with its items exactly as computed then, and the decisions taken' })
  @ApiOkResponse({ type: ShortlistDto })
  @ApiNotFoundResponse({ description: 'No such shortlist, or outside the caller\'s subtree', type: ProblemResponse })
  getShortlist(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ShortlistDto> {
    return this.candidates.getShortlist(actor, id);
  }

  @Post('shortlists/:id/decisions')
  @Access(WRITE)
  @ApiOperation({ summary: "Record the board's decision on a candidate (a later decision replaces it; all are audited)" })
  @ApiBody({
    type: DecisionDto,
    examples: {
      default: {
        summary: 'Replace employeeId with the id of a candidate on the shortlist',
        value: { employeeId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', decision: 'APPROVED', note: 'Diusulkan untuk jabatan Kepala Bidang Angkutan' },
      },
    },
  })
  @ApiCreatedResponse({ type: DecisionViewDto })
  @ApiForbiddenResponse({ description: '`own-appraisal`: the candidate is the caller\'s own employee; nobody decides on their own promotion', type: ProblemResponse })
  @ApiNotFoundResponse({ description: 'No such shortlist, or outside the caller\'s subtree', type: ProblemResponse })
  recordShortlistDecision(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DecisionDto,
  ): Promise<DecisionViewDto> {
    return this.candidates.decide(actor, id, dto);
  }
}
