import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor, ROLES } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { ImportQueryDto, ImportResult } from '../../common/import/import-result';
import { ApiPage } from '../../common/pagination/api-page.decorator';
import { mapPage, Page } from '../../common/pagination/page';
import { CreateEmployeeDto, EmployeeDto, EmployeeQueryDto, PotentialDto, UpdateEmployeeDto } from './dto/employee.dto';
import { ImportEmployeesDto } from './dto/import-employees.dto';
import { CreatePenaltyDto, PenaltyDto } from './dto/penalty.dto';
import { EmployeesService } from './employees.service';

const READ = { roles: [...ROLES], scope: 'org:read' as const };
const WRITE = { roles: ['ADMIN' as const, 'HR_OPERATOR' as const], scope: 'org:write' as const };
const NOT_FOUND = { description: 'No such employee, or outside the caller\'s scope', type: ProblemResponse };
const OWN_RECORD = {
  description:
    '`own-record`: the caller acts as this employee (linked to them, a key of theirs, or an account whose password they set), ' +
    'and nobody changes the parts of their own record that drive appraisal or promotion (rank, rankSince, jobType, ' +
    'employmentType, unit, supervisor, status, potential, penalties), whatever their role; or the change would make the caller ' +
    'the employee\'s supervisor, or change the supervisor of someone above the caller (it would choose whom they assess or ' +
    'who reviews them)',
  type: ProblemResponse,
};
const OWN_SUPERVISOR = {
  description: '`own-record`: the new employee\'s supervisor would be the caller (they would choose whom they assess; spec §8)',
  type: ProblemResponse,
};

const EXAMPLE_EMPLOYEE = {
  nip: '199001152015031001',
  name: 'I Made Wirawan',
  employmentType: 'PNS',
  rank: 'III/a',
  rankSince: '2021-04-01',
  jobType: 'PELAKSANA',
  positionTitle: 'Pengelola Layanan Operasional',
  unitCode: 'DISHUB',
  supervisorNip: '197805122005011002',
};
/** The supervisor of EXAMPLE_EMPLOYEE, so that the import example succeeds once the units import example ran. */
const EXAMPLE_SUPERVISOR = {
  nip: '197805122005011002',
  name: 'I Ketut Suardana',
  employmentType: 'PNS',
  rank: 'III/d',
  rankSince: '2018-10-01',
  jobType: 'PENGAWAS',
  positionTitle: 'Kepala Seksi Manajemen Lalu Lintas',
  unitCode: 'DISHUB',
};

@ApiTags('employees')
@Controller('employees')
export class EmployeesController {
  constructor(private readonly employees: EmployeesService) {}

  @Post()
  @Access(WRITE)
  @ApiOperation({
    summary: 'Register an employee',
    description: 'For a PNS, gender, birth date and (by default) serviceStart come from the NIP. HR operators may only use units of their subtree.',
  })
  @ApiBody({
    type: CreateEmployeeDto,
    examples: {
      pns: {
        summary: 'A PNS in the unit and under the supervisor of the import examples (run those first)',
        value: { ...EXAMPLE_EMPLOYEE, nip: '199207242019032003', name: 'Ni Luh Putu Ayu Lestari', rankSince: '2023-04-01' },
      },
    },
  })
  @ApiCreatedResponse({ type: EmployeeDto })
  @ApiBadRequestResponse({ description: 'Invalid NIP, rank or fields; unknown unit or supervisor', type: ProblemResponse })
  @ApiConflictResponse({ description: 'The NIP exists, or the unit is inactive', type: ProblemResponse })
  @ApiForbiddenResponse(OWN_SUPERVISOR)
  async createEmployee(@CurrentActor() actor: Actor, @Body() dto: CreateEmployeeDto): Promise<EmployeeDto> {
    return EmployeeDto.of(await this.employees.create(actor, dto));
  }

  @Post('import')
  @HttpCode(200)
  @Access(WRITE)
  @ApiOperation({
    summary: 'Upsert up to 5000 employees by NIP',
    description:
      'Rows may name supervisors defined in other rows, in any order; units must exist. Optional fields left out keep their ' +
      'current value, `null` clears them. Bad rows are listed in `errors` and the rest are written, unless `atomic=true`, ' +
      'which writes nothing when any row fails (400). A row about the caller\'s own record that would change its rank, rankSince, ' +
      'jobType, employmentType, unit or supervisor fails like any bad row (`own-record: …` in `errors`); other fields of it may change. ' +
      'So does a row that would make the caller an employee\'s supervisor, or change the supervisor of someone above the caller.',
  })
  @ApiBody({
    type: ImportEmployeesDto,
    examples: {
      default: { summary: 'An employee and their supervisor in the unit DISHUB (run the units import example first)', value: { employees: [EXAMPLE_EMPLOYEE, EXAMPLE_SUPERVISOR] } },
    },
  })
  @ApiOkResponse({ type: ImportResult })
  @ApiBadRequestResponse({ description: 'Malformed body, or row errors with atomic=true', type: ProblemResponse })
  importEmployees(
    @CurrentActor() actor: Actor,
    @Body() dto: ImportEmployeesDto,
    @Query() q: ImportQueryDto,
  ): Promise<ImportResult> {
    return this.employees.import(actor, dto, q.atomic ?? false);
  }

  @Get()
  @Access(READ)
  @ApiOperation({ summary: 'List employees (HR operators see their subtree, employees themselves)' })
  @ApiPage(EmployeeDto)
  async listEmployees(@CurrentActor() actor: Actor, @Query() q: EmployeeQueryDto): Promise<Page<EmployeeDto>> {
    return mapPage(await this.employees.list(actor, q), (x) => EmployeeDto.of(x));
  }

  @Get('by-nip/:nip')
  @Access(READ)
  @ApiOperation({ summary: 'Find an employee by NIP' })
  @ApiOkResponse({ type: EmployeeDto })
  @ApiBadRequestResponse({ description: 'Not an 18-digit number', type: ProblemResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  async getEmployeeByNip(@CurrentActor() actor: Actor, @Param('nip') nip: string): Promise<EmployeeDto> {
    return EmployeeDto.of(await this.employees.getByNip(actor, nip));
  }

  @Get(':id')
  @Access(READ)
  @ApiOperation({ summary: 'Read an employee' })
  @ApiOkResponse({ type: EmployeeDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async getEmployee(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<EmployeeDto> {
    return EmployeeDto.of(await this.employees.get(actor, id));
  }

  @Patch(':id')
  @Access(WRITE)
  @ApiOperation({ summary: 'Change any subset of an employee\'s fields; `status` INACTIVE or RETIRED deactivates' })
  @ApiBody({
    type: UpdateEmployeeDto,
    examples: {
      promotion: { summary: 'A new rank', value: { rank: 'III/b', rankSince: '2026-04-01' } },
      retire: { summary: 'Retire (deactivates)', value: { status: 'RETIRED' } },
    },
  })
  @ApiOkResponse({ type: EmployeeDto })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: 'Supervisor cycle, NIP taken, or inactive unit', type: ProblemResponse })
  @ApiForbiddenResponse(OWN_RECORD)
  async updateEmployee(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateEmployeeDto,
  ): Promise<EmployeeDto> {
    return EmployeeDto.of(await this.employees.update(actor, id, dto));
  }

  @Put(':id/potential')
  @Access(WRITE)
  @ApiOperation({ summary: 'Record the assessment-centre potential (LOW, MEDIUM, HIGH or null)' })
  @ApiBody({ type: PotentialDto, examples: { high: { value: { potential: 'HIGH' } }, clear: { summary: 'Clear it', value: { potential: null } } } })
  @ApiOkResponse({ type: EmployeeDto })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiForbiddenResponse(OWN_RECORD)
  async setEmployeePotential(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PotentialDto,
  ): Promise<EmployeeDto> {
    return EmployeeDto.of(await this.employees.setPotential(actor, id, dto.potential));
  }

  @Post(':id/penalties')
  @Access(WRITE)
  @ApiOperation({ summary: 'Record a disciplinary penalty (PP 94/2021)' })
  @ApiBody({ type: CreatePenaltyDto, examples: { light: { value: { level: 'LIGHT', imposedOn: '2026-03-02', description: 'Teguran tertulis atas keterlambatan laporan' } } } })
  @ApiCreatedResponse({ type: PenaltyDto })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiForbiddenResponse(OWN_RECORD)
  async createPenalty(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreatePenaltyDto,
  ): Promise<PenaltyDto> {
    return PenaltyDto.of(await this.employees.addPenalty(actor, id, dto));
  }

  @Get(':id/penalties')
  @Access(READ)
  @ApiOperation({ summary: 'List an employee\'s disciplinary penalties, newest first' })
  @ApiOkResponse({ type: [PenaltyDto] })
  @ApiNotFoundResponse(NOT_FOUND)
  async listPenalties(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<PenaltyDto[]> {
    return (await this.employees.listPenalties(actor, id)).map((p) => PenaltyDto.of(p));
  }
}
