import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { EmployeeServiceIndexDto, ServiceIndexQueryDto, UnitServiceIndexDto } from './dto/service-index.dto';
import { ServiceIndexService } from './service-index.service';

const FORMULA =
  'NRR of element Ui = mean of its answers (1–4); ikm = mean of the nine NRR × 25 (25–100); category A 88.31–100 ' +
  '"Sangat Baik", B 76.61–88.30 "Baik", C 65.00–76.60 "Kurang Baik", D 25.00–64.99 "Tidak Baik", of ikm rounded to 2 ' +
  'decimals half away from zero (as ikm and nrr are shown). Feedback belongs to the period when its WITA submission date ' +
  'lies between the period\'s startDate and endDate, inclusive. With no response, `responses` is 0 and ikm, category, ' +
  'label and nrr are null.';

@ApiTags('service-index')
@Controller()
export class ServiceIndexController {
  constructor(private readonly serviceIndex: ServiceIndexService) {}

  @Get('units/:id/service-index')
  @Access({ roles: ['ADMIN', 'HR_OPERATOR'], scope: 'scores:read' })
  @ApiOperation({
    summary: 'Service index (IKM) of a unit and every unit below it in a period (spec §4)',
    description: `Counts PUBLISHED and VERIFIED feedback about the unit or any descendant; HELD and REJECTED never count. ${FORMULA} \`respondents\` counts the respondent profile of the same responses. HR operators read units of their subtree only.`,
  })
  @ApiOkResponse({ type: UnitServiceIndexDto })
  @ApiBadRequestResponse({ description: 'Invalid id or periodId, or an unknown query parameter', type: ProblemResponse })
  @ApiNotFoundResponse({ description: 'No such period, or no such unit visible to the caller', type: ProblemResponse })
  getUnitServiceIndex(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: ServiceIndexQueryDto,
  ): Promise<UnitServiceIndexDto> {
    return this.serviceIndex.unitIndex(actor, id, q.periodId);
  }

  @Get('employees/:id/service-index')
  @Access({ roles: ['ADMIN', 'HR_OPERATOR', 'EMPLOYEE'], scope: 'scores:read' })
  @ApiOperation({
    summary: 'Service index (IKM) of an employee in a period, from VERIFIED feedback only (spec §4)',
    description:
      'Counts only VERIFIED (ticketed) feedback naming the employee, so no unverifiable ballot can move an appraisal; ' +
      `PUBLISHED, HELD and REJECTED feedback never count. ${FORMULA} HR operators read employees of their subtree; any ` +
      'other user only the employee linked to them.',
  })
  @ApiOkResponse({ type: EmployeeServiceIndexDto })
  @ApiBadRequestResponse({ description: 'Invalid id or periodId, or an unknown query parameter', type: ProblemResponse })
  @ApiNotFoundResponse({ description: 'No such period, or no such employee visible to the caller', type: ProblemResponse })
  getEmployeeServiceIndex(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: ServiceIndexQueryDto,
  ): Promise<EmployeeServiceIndexDto> {
    return this.serviceIndex.employeeIndex(actor, id, q.periodId);
  }
}
