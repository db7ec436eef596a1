import { ApiProperty } from '@nestjs/swagger';
import { AspectBreakdown, BEHAVIOUR_ASPECTS, Predicate, PREDICATES, Rating, RATINGS, RESULT_RATING_SOURCES, ResultRatingSource, TargetBreakdown } from '../../scoring/types';
import type { StoredScore } from '../scores.repository';

class TargetBreakdownDto implements TargetBreakdown {
  @ApiProperty({ format: 'uuid' }) targetId: string;
  @ApiProperty({ example: 'DISHUB-WAIT' }) indicatorCode: string;
  @ApiProperty({ example: 60 }) weight: number;
  @ApiProperty({ example: 15 }) target: number;
  @ApiProperty({ example: 14, nullable: true, type: Number, description: 'Verified achievements combined by the indicator aggregation' })
  realisation: number | null;
  @ApiProperty({ example: 106.67 }) capaian: number;
}

class AspectBreakdownDto implements AspectBreakdown {
  @ApiProperty({ enum: BEHAVIOUR_ASPECTS }) aspect: AspectBreakdown['aspect'];
  @ApiProperty({ enum: RATINGS }) rating: Rating;
  @ApiProperty({ example: 120 }) assessorValue: number;
  @ApiProperty({ example: 105.6, nullable: true, type: Number }) publicValue: number | null;
  @ApiProperty({ enum: ['EMPLOYEE', 'UNIT'], nullable: true, type: String }) publicSource: 'EMPLOYEE' | 'UNIT' | null;
  @ApiProperty({ example: 112.8 }) value: number;
}

export class ScoreDto {
  @ApiProperty({ format: 'uuid' }) appraisalId: string;
  @ApiProperty({ example: 100.67 }) resultScore: number;
  @ApiProperty({ example: 102.86, nullable: true, type: Number }) behaviourScore: number | null;
  @ApiProperty({ example: 101.33, nullable: true, type: Number, description: 'For ranking only' }) finalScore: number | null;
  @ApiProperty({ enum: RATINGS, description: 'The rating of resultRatingSource' }) resultRating: Rating;
  @ApiProperty({
    enum: RESULT_RATING_SOURCES,
    description:
      'ORGANISATION: the appraisee heads the appraisal\'s unit, the unit has an organisation predicate for the period and the policy ' +
      'headRatingFromOrganisation holds (ISTIMEWA → ABOVE, BAIK → MEETS, else BELOW; an override is then ignored); OVERRIDE: the ' +
      'assessor\'s override; COMPUTED: from resultScore (spec §5.4)',
  })
  resultRatingSource: ResultRatingSource;
  @ApiProperty({ enum: RATINGS, description: 'The rating the numbers give' }) computedResultRating: Rating;
  @ApiProperty({ description: 'resultRatingSource is OVERRIDE' }) resultRatingOverridden: boolean;
  @ApiProperty({ enum: RATINGS, nullable: true }) behaviourRating: Rating | null;
  @ApiProperty({ enum: PREDICATES, nullable: true }) predicate: Predicate | null;
  @ApiProperty({ example: 2, nullable: true, type: Number, description: 'SIASN kuadran code' }) predicateCode: number | null;
  @ApiProperty({ format: 'date-time' }) computedAt: Date;
  @ApiProperty({ enum: ['FRESH', 'STALE'], description: 'STALE while a recalculation is pending' }) freshness: 'FRESH' | 'STALE';
  @ApiProperty({ type: [TargetBreakdownDto] }) targets: TargetBreakdown[];
  @ApiProperty({ type: [AspectBreakdownDto] }) aspects: AspectBreakdown[];

  static of(s: StoredScore, stale: boolean): ScoreDto {
    return {
      appraisalId: s.appraisalId,
      resultScore: s.resultScore,
      behaviourScore: s.behaviourScore,
      finalScore: s.finalScore,
      resultRating: s.resultRating,
      resultRatingSource: s.breakdown.resultRatingSource,
      computedResultRating: s.breakdown.computedResultRating,
      resultRatingOverridden: s.breakdown.resultRatingOverridden,
      behaviourRating: s.behaviourRating,
      predicate: s.predicate,
      predicateCode: s.predicateCode,
      computedAt: s.computedAt,
      freshness: stale ? 'STALE' : 'FRESH',
      targets: s.breakdown.targets,
      aspects: s.breakdown.aspects,
    };
  }
}
