import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
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
import { CreateIndicatorDto, IndicatorDto, IndicatorQueryDto, UpdateIndicatorDto } from './dto/indicator.dto';
import { IndicatorsService } from './indicators.service';

const READ = { roles: ['ADMIN' as const, 'HR_OPERATOR' as const, 'EMPLOYEE' as const], scope: 'appraisals:read' as const };
/** The indicator catalogue decides how results aggregate and point, so it belongs with the period's frame and policy. */
const WRITE = { roles: ['ADMIN' as const], scope: 'periods:manage' as const };

@ApiTags('indicators')
@Controller('indicators')
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorsService) {}

  @Post()
  @Access(WRITE)
  @ApiOperation({ summary: 'Add an indicator (IKI) to the catalogue' })
  @ApiBody({
    type: CreateIndicatorDto,
    examples: {
      default: {
        value: {
          code: 'IKI-WAKTU-IZIN',
          name: 'Rata-rata waktu penyelesaian izin',
          unitOfMeasure: 'menit',
          aspect: 'TIME',
          direction: 'LOWER_IS_BETTER',
          aggregation: 'AVERAGE',
          jobTypes: ['PELAKSANA', 'FUNGSIONAL'],
        },
      },
    },
  })
  @ApiCreatedResponse({ type: IndicatorDto })
  @ApiBadRequestResponse({ description: 'Invalid fields or unknown unit', type: ProblemResponse })
  @ApiConflictResponse({ description: 'The code is taken (duplicate-indicator-code)', type: ProblemResponse })
  async createIndicator(@CurrentActor() actor: Actor, @Body() dto: CreateIndicatorDto): Promise<IndicatorDto> {
    return IndicatorDto.of(await this.indicators.create(actor, dto));
  }

  @Get()
  @Access(READ)
  @ApiOperation({ summary: 'List indicators, ordered by code' })
  @ApiPage(IndicatorDto)
  async listIndicators(@Query() q: IndicatorQueryDto): Promise<Page<IndicatorDto>> {
    return mapPage(await this.indicators.list(q), (x) => IndicatorDto.of(x));
  }

  @Get(':id')
  @Access(READ)
  @ApiOperation({ summary: 'Read an indicator' })
  @ApiOkResponse({ type: IndicatorDto })
  @ApiNotFoundResponse({ description: 'No such indicator', type: ProblemResponse })
  async getIndicator(@Param('id', ParseUUIDPipe) id: string): Promise<IndicatorDto> {
    return IndicatorDto.of(await this.indicators.get(id));
  }

  @Patch(':id')
  @Access(WRITE)
  @ApiOperation({
    summary: 'Update an indicator; `{"active": false}` deactivates it',
    description:
      'Any subset of the fields. Once a target in a CLOSED period uses the indicator, its direction, aggregation and aspect ' +
      'are frozen (409 indicator-locked): deactivate it and create a new one instead.',
  })
  @ApiBody({
    type: UpdateIndicatorDto,
    examples: {
      describe: { summary: 'Describe it and widen it to every job type', value: { description: 'Dihitung dari tanggal permohonan lengkap sampai izin terbit', jobTypes: [] } },
      deactivate: { summary: 'Deactivate', value: { active: false } },
    },
  })
  @ApiOkResponse({ type: IndicatorDto })
  @ApiNotFoundResponse({ description: 'No such indicator', type: ProblemResponse })
  @ApiConflictResponse({ description: 'The code is taken (duplicate-indicator-code), or the change is locked (indicator-locked)', type: ProblemResponse })
  async updateIndicator(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateIndicatorDto,
  ): Promise<IndicatorDto> {
    return IndicatorDto.of(await this.indicators.update(actor, id, dto));
  }
}
