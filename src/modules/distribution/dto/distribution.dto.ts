import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { ORGANISATION_PREDICATES, OrganisationPredicate } from '../entities/organisation-predicate.entity';
import { CURVE_RULE_CODES, CurveRuleCode } from '../curve';

export class DistributionQueryDto {
  @ApiProperty({ format: 'uuid', description: 'The unit whose subtree is counted and whose organisation predicate fixes the curve' })
  @IsUUID()
  unitId: string;
}

export class PredicateCountsDto {
  @ApiProperty({ example: 3 }) SANGAT_BAIK: number;
  @ApiProperty({ example: 12 }) BAIK: number;
  @ApiProperty({ example: 3 }) BUTUH_PERBAIKAN: number;
  @ApiProperty({ example: 1 }) KURANG: number;
  @ApiProperty({ example: 1 }) SANGAT_KURANG: number;
  @ApiProperty({ example: 2, description: 'Appraisals without a predicate (no score yet, or behaviour not assessed); in no share' })
  unscored: number;
}

export class PredicateSharesDto {
  @ApiProperty({ example: 0.15 }) SANGAT_BAIK: number;
  @ApiProperty({ example: 0.6 }) BAIK: number;
  @ApiProperty({ example: 0.15 }) BUTUH_PERBAIKAN: number;
  @ApiProperty({ example: 0.05 }) KURANG: number;
  @ApiProperty({ example: 0.05 }) SANGAT_KURANG: number;
}

export class CurveFailureDto {
  @ApiProperty({ enum: CURVE_RULE_CODES, example: 'SANGAT_BAIK_AT_MOST_70', description: 'Stable code of the broken rule' })
  rule: CurveRuleCode;
  @ApiProperty({ example: '≤ 70%' }) expected: string;
  @ApiProperty({ example: '80% (8 of 10)', description: 'Percent with up to 2 decimals, and the exact counts' }) actual: string;
  @ApiProperty({ example: 'SANGAT_BAIK is 80% (8 of 10) of the appraisals with a predicate; an ISTIMEWA unit allows at most 70%' })
  message: string;
}

export class DistributionDto {
  @ApiProperty({ format: 'uuid' }) periodId: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ enum: ORGANISATION_PREDICATES, nullable: true, type: String, example: 'BAIK', description: 'null when not set: no rule applies' })
  organisationPredicate: OrganisationPredicate | null;
  @ApiProperty({ example: 20, description: 'Appraisals of the subtree with a predicate: the denominator of every share' }) total: number;
  @ApiProperty({ type: PredicateCountsDto }) counts: PredicateCountsDto;
  @ApiProperty({ type: PredicateSharesDto, description: 'count / total, rounded half up to 4 decimals; 0 when total is 0' })
  shares: PredicateSharesDto;
  @ApiProperty({ type: [CurveFailureDto], description: 'Every rule of the curve that fails; empty when all hold or no organisation predicate is set' })
  failures: CurveFailureDto[];
}
