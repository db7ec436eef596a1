import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { ImportQueryDto, ImportResult } from '../../common/import/import-result';
import { ApiPage } from '../../common/pagination/api-page.decorator';
import { mapPage, Page } from '../../common/pagination/page';
import { ImportUnitsDto } from './dto/import-units.dto';
import { CreateUnitDto, UnitDto, UnitQueryDto, UpdateUnitDto } from './dto/unit.dto';
import { UnitsService } from './units.service';

const READ = { roles: ['ADMIN' as const, 'HR_OPERATOR' as const], scope: 'org:read' as const };
const WRITE = { roles: ['ADMIN' as const], scope: 'org:write' as const };

@ApiTags('units')
@Controller('units')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Post()
  @Access(WRITE)
  @ApiOperation({ summary: 'Create an organisation unit' })
  @ApiBody({
    type: CreateUnitDto,
    examples: {
      root: { summary: 'A top-level unit', value: { code: 'BAPPEDA', name: 'Badan Perencanaan Pembangunan Daerah', kind: 'BADAN' } },
      child: {
        summary: 'A unit under another: replace parentId with the id of one of your units',
        value: { code: 'BAPPEDA-EKON', name: 'Bidang Perekonomian', kind: 'BIDANG', parentId: 'b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d' },
      },
    },
  })
  @ApiCreatedResponse({ type: UnitDto })
  @ApiBadRequestResponse({ description: 'Invalid fields or unknown parent', type: ProblemResponse })
  @ApiConflictResponse({ description: 'The code is taken', type: ProblemResponse })
  async createUnit(@CurrentActor() actor: Actor, @Body() dto: CreateUnitDto): Promise<UnitDto> {
    return UnitDto.of(await this.units.create(actor, dto));
  }

  @Post('import')
  @HttpCode(200)
  @Access(WRITE)
  @ApiOperation({
    summary: 'Upsert up to 5000 units by code',
    description:
      'Rows may reference each other in any order through parentCode. Each row is created, updated or left unchanged; ' +
      'bad rows are listed in `errors` and the rest are written, unless `atomic=true`, which writes nothing when any row fails (400). ' +
      'A row fails with `own-record: …` when it names or replaces the caller (a key: its issuer) as a head, or changes the publicService ' +
      'flag or parent of a unit that holds the caller\'s own appraisal, or moves a unit into or out of the subtree of such a unit.',
  })
  @ApiBody({
    type: ImportUnitsDto,
    examples: {
      default: {
        value: {
          units: [
            { code: 'DISHUB-LALIN', name: 'Bidang Lalu Lintas', kind: 'BIDANG', parentCode: 'DISHUB' },
            { code: 'DISHUB', name: 'Dinas Perhubungan', kind: 'DINAS', publicService: true },
          ],
        },
      },
    },
  })
  @ApiOkResponse({ type: ImportResult })
  @ApiBadRequestResponse({ description: 'Malformed body, or row errors with atomic=true', type: ProblemResponse })
  importUnits(@CurrentActor() actor: Actor, @Body() dto: ImportUnitsDto, @Query() q: ImportQueryDto): Promise<ImportResult> {
    return this.units.import(actor, dto, q.atomic ?? false);
  }

  @Get()
  @Access(READ)
  @ApiOperation({ summary: 'List units (HR operators see their subtree)' })
  @ApiPage(UnitDto)
  async listUnits(@CurrentActor() actor: Actor, @Query() q: UnitQueryDto): Promise<Page<UnitDto>> {
    return mapPage(await this.units.list(actor, q), (x) => UnitDto.of(x));
  }

  @Get(':id')
  @Access(READ)
  @ApiOperation({ summary: 'Read a unit' })
  @ApiOkResponse({ type: UnitDto })
  @ApiNotFoundResponse({ description: 'No such unit, or outside the caller\'s subtree', type: ProblemResponse })
  async getUnit(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<UnitDto> {
    return UnitDto.of(await this.units.get(actor, id));
  }

  @Patch(':id')
  @Access(WRITE)
  @ApiOperation({
    summary: 'Update a unit; `{"active": false}` deactivates it',
    description:
      '`headEmployeeId` names the unit head (spec §5.4): an ACTIVE employee of this unit, or null to clear it. A change of head marks the ' +
      'old and the new head\'s appraisals in the unit that are not finalised for recalculation, in the same write (a finalised one keeps who headed the unit). Audited as unit.update with before and after.',
  })
  @ApiBody({
    type: UpdateUnitDto,
    examples: {
      rename: { summary: 'Rename, and mark it as serving citizens', value: { name: 'Dinas Perhubungan Kota Denpasar', publicService: true } },
      deactivate: { summary: 'Deactivate', value: { active: false } },
      head: { summary: 'Name the head of the unit', value: { headEmployeeId: '3f6c1d52-7a4e-4b8e-9a43-2d1f0b7c9e11' } },
    },
  })
  @ApiOkResponse({ type: UnitDto })
  @ApiNotFoundResponse({ type: ProblemResponse })
  @ApiForbiddenResponse({
    description:
      '`own-record`: the caller (a key: its issuer) would name or replace themselves as the head of the unit (spec §5.4), or change the ' +
      'publicService flag or the parent of a unit that holds their own appraisal, or move another unit into or out of the subtree of ' +
      'such a unit, which decide whose citizen feedback counts in their score (spec §5.3; §8 rule 4)',
    type: ProblemResponse,
  })
  @ApiConflictResponse({
    description: 'The code is taken, the move would make the unit its own ancestor, or the head is not an ACTIVE employee of the unit (`invalid-unit-head`)',
    type: ProblemResponse,
  })
  async updateUnit(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUnitDto,
  ): Promise<UnitDto> {
    return UnitDto.of(await this.units.update(actor, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @Access(WRITE)
  @ApiOperation({ summary: 'Delete a unit that has no children, employees or users (otherwise deactivate it)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ProblemResponse })
  @ApiConflictResponse({ description: 'The unit has children, employees or users', type: ProblemResponse })
  async deleteUnit(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.units.remove(actor, id);
  }
}
