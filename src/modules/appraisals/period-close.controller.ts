import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { PeriodDto, TransitionPeriodDto } from '../periods/dto/period.dto';
import { PERIOD_NOT_FOUND, PERIOD_WRITE } from '../periods/periods.controller';
import { PeriodCloseService } from './period-close.service';

/** `POST /periods/{id}/transitions` beside the other period paths; here because closing finalises the appraisals. */
@ApiTags('periods')
@Controller('periods')
export class PeriodTransitionsController {
  constructor(private readonly periods: PeriodCloseService) {}

  @Post(':id/transitions')
  @HttpCode(200)
  @Access(PERIOD_WRITE)
  @ApiOperation({
    summary: 'Move a period one step forward: PLANNING → OPEN → EVALUATION → CLOSED',
    description:
      'Closing finalises every appraisal of the period. While any is DRAFT or AGREED it answers 409 appraisals-not-assessed ' +
      'with `appraisalIds` (at most 1000) and `count`, unless an admin user sends `"force": true`, which finalises those ' +
      'too with behaviour unassessed (predicate null). Answers the period.',
  })
  @ApiBody({ type: TransitionPeriodDto, examples: { open: { value: { to: 'OPEN' } }, forceClose: { value: { to: 'CLOSED', force: true } } } })
  @ApiOkResponse({ type: PeriodDto })
  @ApiBadRequestResponse({ description: 'Invalid fields, or `force` with another status than CLOSED', type: ProblemResponse })
  @ApiNotFoundResponse(PERIOD_NOT_FOUND)
  @ApiForbiddenResponse({ description: '`force-requires-admin` (`force` sent by an API key or a user who is not an admin)', type: ProblemResponse })
  @ApiConflictResponse({
    description:
      'Not the next status (invalid-transition), unassessed appraisals block closing (appraisals-not-assessed), or units ' +
      'break the distribution curve under the policy `enforceDistribution` (distribution-curve-broken, with `units`)',
    type: ProblemResponse,
  })
  async transitionPeriod(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: TransitionPeriodDto,
  ): Promise<PeriodDto> {
    return PeriodDto.of(await this.periods.transition(actor, id, dto));
  }
}
