import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, IsUUID, Max, Min, ValidateIf } from 'class-validator';
import { TargetEntity } from '../entities/target.entity';

export class CreateTargetDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() indicatorId: string;

  @ApiProperty({ example: 15, description: 'Target value in the indicator\'s unit of measure; > 0' })
  @IsNumber({ maxDecimalPlaces: 4, allowNaN: false, allowInfinity: false })
  @Min(0.0001)
  @Max(1e15)
  target: number;

  @ApiProperty({ example: 60, description: 'Weight in percent; the weights of an appraisal sum to 100 before agreement' })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(100)
  weight: number;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: "A target of the assessor's appraisal in the same period" })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  cascadedFromTargetId?: string | null;
}

export class UpdateTargetDto {
  @ApiPropertyOptional({ example: 12 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 4, allowNaN: false, allowInfinity: false })
  @Min(0.0001)
  @Max(1e15)
  target?: number;

  @ApiPropertyOptional({ example: 40 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(100)
  weight?: number;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  cascadedFromTargetId?: string | null;
}

export class TargetDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) appraisalId: string;
  @ApiProperty({ format: 'uuid' }) indicatorId: string;
  @ApiProperty({ example: 15 }) target: number;
  @ApiProperty({ example: 60 }) weight: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) cascadedFromTargetId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;

  static of(t: TargetEntity): TargetDto {
    return {
      id: t.id,
      appraisalId: t.appraisalId,
      indicatorId: t.indicatorId,
      target: t.target,
      weight: t.weight,
      cascadedFromTargetId: t.cascadedFromTargetId,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    };
  }
}
