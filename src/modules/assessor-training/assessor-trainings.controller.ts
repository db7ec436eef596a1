import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { ApiPage } from '../../common/pagination/api-page.decorator';
import { mapPage, Page } from '../../common/pagination/page';
import { AssessorTrainingsService } from './assessor-trainings.service';
import { AssessorTrainingDto, AssessorTrainingQueryDto, CreateAssessorTrainingDto } from './dto/assessor-training.dto';

const READ = { roles: ['ADMIN' as const, 'HR_OPERATOR' as const, 'EMPLOYEE' as const], scope: 'org:read' as const };
const WRITE = { roles: ['ADMIN' as const, 'HR_OPERATOR' as const], scope: 'org:write' as const };
const OWN_RECORD = {
  description:
    '`own-record`: the training is the caller\'s own (a key\'s: its issuer\'s), which nobody records or deletes (spec §11); ' +
    '`own-appraisal`: its employee assesses or reviews an appraisal of the caller that is not FINALIZED (spec §8)',
  type: ProblemResponse,
};

@ApiTags('assessor-trainings')
@Controller('assessor-trainings')
export class AssessorTrainingsController {
  constructor(private readonly trainings: AssessorTrainingsService) {}

  @Post()
  @Access(WRITE)
  @ApiOperation({
    summary: 'Record a completed assessor training (pelatihan penilai)',
    description:
      'Admins and API keys for anyone; HR operators for employees of their subtree (others answer as a missing employee). ' +
      'The employee is a trained assessor on every date from `completedOn` through `validUntil` (open-ended without it); ' +
      'the period policy `requireTrainedAssessor` makes that a condition of assessor actions. Audited as ' +
      'assessor-training.create.',
  })
  @ApiBody({
    type: CreateAssessorTrainingDto,
    examples: {
      default: {
        value: {
          employeeId: '3f6c1d52-7a4e-4b8e-9a43-2d1f0b7c9e11',
          course: 'Pelatihan Penilai Kinerja ASN (BKPSDM Kota Denpasar)',
          completedOn: '2026-03-12',
          validUntil: '2028-03-12',
          certificateUrl: 'https://bkpsdm.denpasarkota.go.id/sertifikat/2026/penilai-0042.pdf',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: AssessorTrainingDto })
  @ApiBadRequestResponse({
    description: 'Invalid fields; no visible employee has `employeeId`; `completedOn` after today; `validUntil` before `completedOn`',
    type: ProblemResponse,
  })
  @ApiForbiddenResponse(OWN_RECORD)
  @ApiConflictResponse({ description: '`duplicate-training`: the employee has this course completed on this date already', type: ProblemResponse })
  async createAssessorTraining(@CurrentActor() actor: Actor, @Body() dto: CreateAssessorTrainingDto): Promise<AssessorTrainingDto> {
    return AssessorTrainingDto.of(await this.trainings.create(actor, dto));
  }

  @Get()
  @Access(READ)
  @ApiOperation({
    summary: 'List assessor trainings',
    description:
      'Admins and API keys see all, HR operators those of employees in their subtree, employees their own. Newest ' +
      '`completedOn` first.',
  })
  @ApiPage(AssessorTrainingDto)
  @ApiBadRequestResponse({ description: 'Invalid parameters', type: ProblemResponse })
  async listAssessorTrainings(@CurrentActor() actor: Actor, @Query() q: AssessorTrainingQueryDto): Promise<Page<AssessorTrainingDto>> {
    return mapPage(await this.trainings.list(actor, q), (t) => AssessorTrainingDto.of(t));
  }

  @Delete(':id')
  @HttpCode(204)
  @Access(WRITE)
  @ApiOperation({
    summary: 'Delete an assessor training recorded in error',
    description: 'Same scope as recording. Audited as assessor-training.delete with the deleted record.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiForbiddenResponse(OWN_RECORD)
  @ApiNotFoundResponse({ description: 'No such training, or its employee is outside the caller\'s subtree', type: ProblemResponse })
  async deleteAssessorTraining(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.trainings.remove(actor, id);
  }
}
