import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { ApiPage } from '../../common/pagination/api-page.decorator';
import { mapPage, Page } from '../../common/pagination/page';
import { CreatePeriodDto, PeriodDto, PeriodQueryDto } from './dto/period.dto';
import { ScoringPolicyDto, ScoringPolicyPatchDto } from './dto/scoring-policy.dto';
import { policyOf } from '../scoring/policy';
import { PeriodsService } from './periods.service';

const READ = { roles: ['ADMIN' as const, 'HR_OPERATOR' as const, 'EMPLOYEE' as const], scope: 'appraisals:read' as const };
export const PERIOD_WRITE = { roles: ['ADMIN' as const], scope: 'periods:manage' as const };
export const PERIOD_NOT_FOUND = { description: 'No such period', type: ProblemResponse };

@ApiTags('periods')
@Controller('periods')
export class PeriodsController {
  constructor(private readonly periods: PeriodsService) {}

  @Post()
  @Access(PERIOD_WRITE)
  @ApiOperation({
    summary: 'Create an appraisal period (status PLANNING)',
    description:
      'The code follows the type (MONTHLY "YYYY-MM", QUARTERLY "YYYY-Qn", ANNUAL "YYYY") and the dates must be exactly its ' +
      'calendar span. `policy` may give some keys of the scoring policy; the others take the defaults.',
  })
  @ApiBody({
    type: CreatePeriodDto,
    examples: {
      monthly: { value: { code: '2026-11', type: 'MONTHLY', startDate: '2026-11-01', endDate: '2026-11-30' } },
      annual: { value: { code: '2026', type: 'ANNUAL', startDate: '2026-01-01', endDate: '2026-12-31', policy: { capaianCap: 130 } } },
    },
  })
  @ApiCreatedResponse({ type: PeriodDto })
  @ApiBadRequestResponse({ description: 'Invalid fields, a code or dates that do not match the type, or an inconsistent policy', type: ProblemResponse })
  @ApiConflictResponse({ description: 'The code is taken (duplicate-period-code)', type: ProblemResponse })
  async createPeriod(@CurrentActor() actor: Actor, @Body() dto: CreatePeriodDto): Promise<PeriodDto> {
    return PeriodDto.of(await this.periods.create(actor, dto));
  }

  @Get()
  @Access(READ)
  @ApiOperation({ summary: 'List periods, newest start date first' })
  @ApiPage(PeriodDto)
  async listPeriods(@Query() q: PeriodQueryDto): Promise<Page<PeriodDto>> {
    return mapPage(await this.periods.list(q), (x) => PeriodDto.of(x));
  }

  @Get(':id')
  @Access(READ)
  @ApiOperation({ summary: 'Read a period' })
  @ApiOkResponse({ type: PeriodDto })
  @ApiNotFoundResponse(PERIOD_NOT_FOUND)
  async getPeriod(@Param('id', ParseUUIDPipe) id: string): Promise<PeriodDto> {
    return PeriodDto.of(await this.periods.get(id));
  }

  @Get(':id/policy')
  @Access(READ)
  @ApiOperation({ summary: 'Read the scoring policy of a period (a flat object of the spec §5 keys)' })
  @ApiOkResponse({ type: ScoringPolicyDto })
  @ApiNotFoundResponse(PERIOD_NOT_FOUND)
  async getPeriodPolicy(@Param('id', ParseUUIDPipe) id: string): Promise<ScoringPolicyDto> {
    return policyOf(await this.periods.get(id));
  }

  @Put(':id/policy')
  @Access(PERIOD_WRITE)
  @ApiOperation({
    summary: 'Change some keys of the scoring policy until the period is CLOSED',
    description:
      'Send only the keys that change; the others keep their value. The merged policy must be consistent (weights sum to 1, ' +
      'aboveThreshold > meetsThreshold, capaianCap ≥ aboveThreshold). A change marks every non-finalised appraisal of the ' +
      'period for recalculation; a body that changes nothing writes nothing. Answers the whole policy.',
  })
  @ApiBody({ type: ScoringPolicyPatchDto, examples: { weights: { value: { resultWeight: 0.6, behaviourWeight: 0.4 } } } })
  @ApiOkResponse({ type: ScoringPolicyDto })
  @ApiBadRequestResponse({ description: 'Unknown keys, values out of range, or an inconsistent merged policy', type: ProblemResponse })
  @ApiNotFoundResponse(PERIOD_NOT_FOUND)
  @ApiConflictResponse({ description: 'The period is CLOSED (period-closed)', type: ProblemResponse })
  updatePeriodPolicy(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ScoringPolicyPatchDto,
  ): Promise<ScoringPolicyDto> {
    return this.periods.updatePolicy(actor, id, dto);
  }
}
