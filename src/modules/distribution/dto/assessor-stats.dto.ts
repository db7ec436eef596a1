import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import { CALIBRATION_FLAGS, CalibrationFlag } from '../calibration';

export class AssessorStatsQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only appraisals of this unit subtree' })
  @IsOptional()
  @IsUUID()
  withinUnitId?: string;
}

export class AssessorStatsDto {
  @ApiProperty({ format: 'uuid' }) assessorId: string;
  @ApiProperty({ example: 'I Made Wirawan' }) name: string;
  @ApiProperty({ example: '198503122010011002' }) nip: string;
  @ApiProperty({ example: 12, description: 'Appraisees with a score, in view' }) count: number;
  @ApiProperty({ example: 104.52, nullable: true, type: Number, description: 'Mean behaviourScore over appraisees with one, 2 decimals' })
  meanBehaviourScore: number | null;
  @ApiProperty({ example: 98.1, description: 'Mean resultScore of the appraisees, 2 decimals' }) meanResultScore: number;
  @ApiProperty({
    example: 0.25,
    nullable: true,
    type: Number,
    description: 'Share of appraisees with a behaviour rating that are ABOVE_EXPECTATION, 4 decimals; null when none is rated',
  })
  shareAboveBehaviour: number | null;
  @ApiProperty({ example: 1, description: 'Appraisals with a result rating override' }) overrides: number;
  @ApiProperty({ example: 1.65, nullable: true, type: Number, description: 'z-score of meanBehaviourScore against the population, 2 decimals' })
  z: number | null;
  @ApiProperty({ enum: CALIBRATION_FLAGS, nullable: true, type: String, example: 'LENIENT', description: 'LENIENT when z ≥ 1.5, STRICT when z ≤ −1.5' })
  flag: CalibrationFlag | null;
  @ApiProperty({ example: true, description: 'Holds an assessor training valid today (WITA), spec §11' }) trained: boolean;
  @ApiProperty({
    example: 3,
    description: 'Acknowledged performance dialogues the assessor recorded or took part in as the appraisal\'s assessor, on appraisals in view',
  })
  dialoguesHeld: number;
}

export class CalibrationPopulationDto {
  @ApiProperty({ example: 24, description: 'Assessors of the period with at least 5 appraisees with a score and a mean behaviourScore' })
  assessors: number;
  @ApiProperty({ example: 103.8, nullable: true, type: Number, description: 'Mean of their mean behaviourScores, 2 decimals' })
  meanBehaviourScore: number | null;
  @ApiProperty({ example: 4.12, nullable: true, type: Number, description: 'Population standard deviation of those means, 2 decimals' })
  sdBehaviourScore: number | null;
}

export class AssessorStatsReportDto {
  @ApiProperty({ format: 'uuid' }) periodId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) withinUnitId: string | null;
  @ApiProperty({ example: 5, description: 'Appraisees with a score an assessor needs in view to be listed' }) minAppraisees: number;
  @ApiProperty({ type: CalibrationPopulationDto, description: 'What every z is measured against: the whole period, whatever the view' })
  population: CalibrationPopulationDto;
  @ApiProperty({ type: [AssessorStatsDto], description: 'By name, then NIP' }) items: AssessorStatsDto[];
}

export class TrainingNeedsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only appraisals of this unit subtree' })
  @IsOptional()
  @IsUUID()
  withinUnitId?: string;
}

export const TRAINING_NEED_REASONS = ['UNTRAINED', ...CALIBRATION_FLAGS] as const;
export type TrainingNeedReason = (typeof TRAINING_NEED_REASONS)[number];

export class AssessorRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '198503122010011002' }) nip: string;
  @ApiProperty({ example: 'I Made Wirawan' }) name: string;
}

export class TrainingNeedDto {
  @ApiProperty({ type: AssessorRefDto }) assessor: AssessorRefDto;
  @ApiProperty({ example: false, description: 'Holds an assessor training valid today (WITA)' }) trained: boolean;
  @ApiProperty({ enum: CALIBRATION_FLAGS, nullable: true, type: String, example: 'LENIENT', description: 'The calibration flag of assessor-stats' })
  flag: CalibrationFlag | null;
  @ApiProperty({
    enum: TRAINING_NEED_REASONS,
    isArray: true,
    example: ['UNTRAINED', 'LENIENT'],
    description: 'UNTRAINED: no training valid today; LENIENT or STRICT: flagged by calibration. At least one',
  })
  reasons: TrainingNeedReason[];
  @ApiProperty({ example: 7, description: 'Appraisals of the period in view that the assessor assesses' }) appraisees: number;
}
