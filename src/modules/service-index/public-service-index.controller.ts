import { Controller, Get, Param, ParseUUIDPipe, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { Public } from '../../common/auth/access.decorator';
import { ProblemResponse } from '../../common/http/problem.dto';
import { PublicThrottlerGuard } from '../auth/public-throttler.guard';
import {
  PublicPeriodSummaryDto,
  PublicServiceIndexDto,
  PublicServiceIndexPublishedDto,
  PublicServiceIndexQueryDto,
  PublicServiceIndexUnpublishedDto,
} from './dto/service-index.dto';
import { ServiceIndexService } from './service-index.service';
import { MIN_PUBLIC_APPRAISALS, MIN_PUBLIC_RESPONSES } from './thresholds';

/** Transparency endpoints of spec §4: no login, aggregates only, never individual data. */
@ApiTags('public')
@Controller('public')
@UseGuards(PublicThrottlerGuard)
export class PublicServiceIndexController {
  constructor(private readonly serviceIndex: ServiceIndexService) {}

  @Get('service-index')
  @Public()
  @ApiOperation({
    summary: 'Public service index (IKM) of a unit and every unit below it in a period; no login',
    description:
      'Counts PUBLISHED and VERIFIED feedback about the unit or any descendant dated within the period (WITA dates, ' +
      'inclusive). NRR of element Ui = mean of its answers; ikm = mean of the nine NRR × 25; ikm and nrr have 2 decimals. ' +
      `**Privacy:** a published answer has \`published: true\` and the figures (responses, ikm, category, label, nrr); ` +
      `a withheld one \`published: false\` and no figure at all, not even the number of responses. A figure with fewer ` +
      `than ${MIN_PUBLIC_RESPONSES} responses is withheld, and so is one that, together with the other public figures, ` +
      'would let sums and differences single out fewer than that many responses (a parent unit minus its children, a ' +
      'quarter minus its months, a year minus its quarters; spec §8). Which figures are published is decided for all ' +
      'units and all periods overlapping the asked one (in practice its calendar year) at once, whichever is asked: ' +
      'units nearer the root first, then by code, and for each unit longer periods first (ANNUAL, QUARTERLY, MONTHLY), ' +
      'then by start date; a figure is published unless it would make a group of 1 to ' +
      `${MIN_PUBLIC_RESPONSES - 1} responses computable from the figures before it. So a unit with enough responses may ` +
      'still answer `published: false`. No individual response, comment, respondent or employee data is ever returned.',
  })
  @ApiExtraModels(PublicServiceIndexPublishedDto, PublicServiceIndexUnpublishedDto)
  @ApiOkResponse({
    description: 'Published figures, or only the unit and period with `published: false`',
    schema: { oneOf: [{ $ref: getSchemaPath(PublicServiceIndexPublishedDto) }, { $ref: getSchemaPath(PublicServiceIndexUnpublishedDto) }] },
  })
  @ApiBadRequestResponse({ description: 'Missing or invalid unitCode or periodId, or an unknown query parameter', type: ProblemResponse })
  @ApiNotFoundResponse({ description: 'No unit has the code, or no such period', type: ProblemResponse })
  @ApiTooManyRequestsResponse({ description: 'More than PUBLIC_THROTTLE_LIMIT requests a minute to this endpoint from this address; see Retry-After', type: ProblemResponse })
  getPublicServiceIndex(@Query() q: PublicServiceIndexQueryDto): Promise<PublicServiceIndexDto> {
    return this.serviceIndex.publicIndex(q.unitCode, q.periodId);
  }

  @Get('periods/:id/summary')
  @Public()
  @ApiOperation({
    summary: 'Public per-unit predicate counts of a CLOSED period; no login',
    description:
      'For each unit, the FINALIZED appraisals of the period whose own unit (the employee\'s unit when the appraisal was ' +
      'created) is that unit, by predicate; `withoutPredicate` counts those finalised without one. Ordered by unit code. ' +
      `**Privacy:** a unit is listed only with at least ${MIN_PUBLIC_APPRAISALS} appraisals (\`minAppraisals\`). Counts ` +
      'are per unit, never per subtree, and there is no grand total: either would let anyone subtract the listed units ' +
      'and uncover a group smaller than the threshold. No name, NIP, employee id or score of anyone is returned. Only ' +
      'CLOSED periods are summarised, so the counts are final.',
  })
  @ApiOkResponse({ type: PublicPeriodSummaryDto })
  @ApiBadRequestResponse({ description: 'Invalid id', type: ProblemResponse })
  @ApiNotFoundResponse({ description: 'No such period', type: ProblemResponse })
  @ApiConflictResponse({ description: 'The period is not CLOSED yet (period-not-closed)', type: ProblemResponse })
  @ApiTooManyRequestsResponse({ description: 'More than PUBLIC_THROTTLE_LIMIT requests a minute to this endpoint from this address; see Retry-After', type: ProblemResponse })
  getPublicPeriodSummary(@Param('id', ParseUUIDPipe) id: string): Promise<PublicPeriodSummaryDto> {
    return this.serviceIndex.publicSummary(id);
  }
}
