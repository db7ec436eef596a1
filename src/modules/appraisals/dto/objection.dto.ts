import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OptionalObject } from '../../../common/validation/nested-object';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { Rating, RATINGS } from '../../scoring/types';
import { OBJECTION_STATUSES, ObjectionEntity, ObjectionStatus } from '../entities/objection.entity';
import { BehaviourRatingsDto } from './appraisal.dto';

export class FileObjectionDto {
  @ApiProperty({ example: 'Realisasi bulan Oktober belum diverifikasi sebelum periode ditutup', maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
  reason: string;
}

export const OBJECTION_DECISIONS = ['ACCEPTED', 'REJECTED'] as const;

export class ResolveObjectionDto {
  @ApiProperty({ enum: OBJECTION_DECISIONS }) @IsIn(OBJECTION_DECISIONS) decision: 'ACCEPTED' | 'REJECTED';

  @ApiProperty({ example: 'Bukti dukung diterima; penilaian perilaku disesuaikan', maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
  note: string;

  @ApiPropertyOptional({ type: BehaviourRatingsDto, description: 'ACCEPTED only: replaces the behaviour ratings' })
  @OptionalObject(() => BehaviourRatingsDto)
  behaviourRatings?: BehaviourRatingsDto;

  @ApiPropertyOptional({ enum: RATINGS, description: 'ACCEPTED only: sets the result-rating override, with the note as its reason' })
  @IsOptional()
  @IsIn(RATINGS)
  resultRatingOverride?: Rating;
}

export class ObjectionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) appraisalId: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'uuid' }) filedBy: string;
  @ApiProperty({ format: 'date-time' }) filedAt: Date;
  @ApiProperty({ enum: OBJECTION_STATUSES }) status: ObjectionStatus;
  @ApiProperty({ nullable: true, type: String }) decisionNote: string | null;
  @ApiProperty({ type: BehaviourRatingsDto, nullable: true }) behaviourRatings: object | null;
  @ApiProperty({ enum: RATINGS, nullable: true }) resultRatingOverride: Rating | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) resolvedBy: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt: Date | null;

  static of(o: ObjectionEntity): ObjectionDto {
    return {
      id: o.id,
      appraisalId: o.appraisalId,
      reason: o.reason,
      filedBy: o.filedBy,
      filedAt: o.filedAt,
      status: o.status,
      decisionNote: o.decisionNote,
      behaviourRatings: o.behaviourRatings,
      resultRatingOverride: o.resultRatingOverride,
      resolvedBy: o.resolvedBy,
      resolvedAt: o.resolvedAt,
    };
  }
}
