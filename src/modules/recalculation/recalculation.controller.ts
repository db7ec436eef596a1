import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Access, CurrentActor } from '../../common/auth/access.decorator';
import { Actor } from '../../common/auth/principal';
import { ProblemResponse } from '../../common/http/problem.dto';
import { RecalculationRunEntity, RUN_STATUSES, RUN_TRIGGERS, RunStatus, RunTrigger } from './recalculation-run.entity';
import { RecalculationService } from './recalculation.service';
import { ScoresWorker } from './scores-worker.service';

class ProgressDto {
  @ApiProperty({ example: 1500 }) done: number;
  @ApiProperty({ example: 10000 }) total: number;
}

export class RecalculationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) periodId: string;
  @ApiProperty({ enum: RUN_STATUSES }) status: RunStatus;
  @ApiProperty({ enum: RUN_TRIGGERS }) trigger: RunTrigger;
  @ApiProperty({ type: ProgressDto }) progress: ProgressDto;
  @ApiProperty({ nullable: true, type: String, description: 'FAILED only: the reason in general terms; the service log has the details' }) error: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt: Date | null;

  static of(r: RecalculationRunEntity): RecalculationDto {
    return {
      id: r.id,
      periodId: r.periodId,
      status: r.status,
      trigger: r.trigger,
      progress: { done: r.done, total: r.total },
      error: r.error,
      createdAt: r.createdAt,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
    };
  }
}

const ADMIN_WRITE = { roles: ['ADMIN' as const], scope: 'periods:manage' as const };
const ADMIN_READ = { roles: ['ADMIN' as const], scope: 'scores:read' as const };

@ApiTags('recalculation')
@Controller()
export class RecalculationController {
  constructor(
    private readonly recalculation: RecalculationService,
    private readonly worker: ScoresWorker,
  ) {}

  @Post('periods/:id/recalculate')
  @HttpCode(202)
  @Access(ADMIN_WRITE)
  @ApiOperation({
    summary: 'Recalculate every appraisal of a period that is not finalised, as a batch job',
    description: 'Answers at once with the run; follow it at GET /recalculations/{id}.',
  })
  @ApiAcceptedResponse({ type: RecalculationDto })
  @ApiNotFoundResponse({ description: 'No such period', type: ProblemResponse })
  @ApiConflictResponse({ description: 'The period is closed', type: ProblemResponse })
  async recalculatePeriod(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<RecalculationDto> {
    const run = (await this.recalculation.createRun(id, 'MANUAL', actor))!;
    await this.worker.startBatch(run.id);
    return RecalculationDto.of(run);
  }

  @Get('recalculations/:id')
  @Access(ADMIN_READ)
  @ApiOperation({ summary: 'Status and progress of a batch recalculation' })
  @ApiOkResponse({ type: RecalculationDto })
  @ApiNotFoundResponse({ description: 'No such recalculation', type: ProblemResponse })
  async getRecalculation(@Param('id', ParseUUIDPipe) id: string): Promise<RecalculationDto> {
    return RecalculationDto.of(await this.recalculation.getRun(id));
  }
}
