import { ApiProperty } from '@nestjs/swagger';
import { IsDateString, IsIn, IsString, Length, Matches } from 'class-validator';
import { PENALTY_LEVELS, PenaltyEntity, PenaltyLevel } from '../entities/penalty.entity';

export class CreatePenaltyDto {
  @ApiProperty({ enum: PENALTY_LEVELS })
  @IsIn(PENALTY_LEVELS)
  level: PenaltyLevel;

  @ApiProperty({ format: 'date', example: '2026-03-02' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'must be a calendar date' })
  imposedOn: string;

  @ApiProperty({ example: 'Teguran tertulis (SK Wali Kota …)', maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  description: string;
}

export class PenaltyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) employeeId: string;
  @ApiProperty({ enum: PENALTY_LEVELS }) level: PenaltyLevel;
  @ApiProperty({ format: 'date' }) imposedOn: string;
  @ApiProperty() description: string;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;

  static of(p: PenaltyEntity): PenaltyDto {
    return {
      id: p.id,
      employeeId: p.employeeId,
      level: p.level,
      imposedOn: p.imposedOn,
      description: p.description,
      createdAt: p.createdAt,
    };
  }
}
