import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsNumber, Max, Min, ValidateIf } from 'class-validator';
import { DEFAULT_SCORING_POLICY, ScoringPolicy } from '../../scoring/policy';

const NUMBER = { allowNaN: false, allowInfinity: false };
/** A key left out keeps its value; `null` is validated, hence refused. */
const given = (_: unknown, v: unknown) => v !== undefined;
/** More responses than Denpasar's population would ever give: a bound, so the value stays an exact integer. */
const MAX_RESPONSES = 1_000_000;
/** One a week over a year. */
const MAX_DIALOGUES = 52;

/**
 * Some keys of the scoring policy (spec §5). Single-key ranges are checked here; rules across keys
 * (weights summing to 1, thresholds in order) by checkScoringPolicy on the merged policy.
 */
export class ScoringPolicyPatchDto implements Partial<ScoringPolicy> {
  @ApiPropertyOptional({ minimum: 100, maximum: 1000, example: DEFAULT_SCORING_POLICY.capaianCap, description: 'Upper clamp of a target\'s capaian' })
  @ValidateIf(given)
  @IsNumber(NUMBER)
  @Min(100)
  @Max(1000)
  capaianCap?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1000, example: DEFAULT_SCORING_POLICY.aboveThreshold, description: 'Score from which a rating is ABOVE_EXPECTATION' })
  @ValidateIf(given)
  @IsNumber(NUMBER)
  @Min(0)
  @Max(1000)
  aboveThreshold?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1000, example: DEFAULT_SCORING_POLICY.meetsThreshold, description: 'Score from which a rating is MEETS_EXPECTATION' })
  @ValidateIf(given)
  @IsNumber(NUMBER)
  @Min(0)
  @Max(1000)
  meetsThreshold?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, example: DEFAULT_SCORING_POLICY.resultWeight, description: 'Weight of resultScore in finalScore; with behaviourWeight sums to 1' })
  @ValidateIf(given)
  @IsNumber(NUMBER)
  @Min(0)
  @Max(1)
  resultWeight?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, example: DEFAULT_SCORING_POLICY.behaviourWeight, description: 'Weight of behaviourScore in finalScore' })
  @ValidateIf(given)
  @IsNumber(NUMBER)
  @Min(0)
  @Max(1)
  behaviourWeight?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_RESPONSES, type: 'integer', example: DEFAULT_SCORING_POLICY.minEmployeeResponses, description: 'Verified responses an employee needs for their own IKM to count' })
  @ValidateIf(given)
  @IsInt()
  @Min(1)
  @Max(MAX_RESPONSES)
  minEmployeeResponses?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, example: DEFAULT_SCORING_POLICY.employeeFeedbackWeight, description: 'α for the employee\'s IKM' })
  @ValidateIf(given)
  @IsNumber(NUMBER)
  @Min(0)
  @Max(1)
  employeeFeedbackWeight?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_RESPONSES, type: 'integer', example: DEFAULT_SCORING_POLICY.minUnitResponses, description: 'Responses a public-service unit needs for its IKM to count' })
  @ValidateIf(given)
  @IsInt()
  @Min(1)
  @Max(MAX_RESPONSES)
  minUnitResponses?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, example: DEFAULT_SCORING_POLICY.unitFeedbackWeight, description: 'α for the unit\'s IKM' })
  @ValidateIf(given)
  @IsNumber(NUMBER)
  @Min(0)
  @Max(1)
  unitFeedbackWeight?: number;

  @ApiPropertyOptional({ example: DEFAULT_SCORING_POLICY.enforceDistribution, description: 'Refuse closing while a unit breaks its distribution curve' })
  @ValidateIf(given)
  @IsBoolean()
  enforceDistribution?: boolean;

  @ApiPropertyOptional({
    example: DEFAULT_SCORING_POLICY.requireTrainedAssessor,
    description: 'Refuse (409 assessor-untrained) verifying or rejecting achievements, behaviour, override and agreeing targets by an assessor without a training valid on the day (spec §11); changes no score',
  })
  @ValidateIf(given)
  @IsBoolean()
  requireTrainedAssessor?: boolean;

  @ApiPropertyOptional({
    example: DEFAULT_SCORING_POLICY.headRatingFromOrganisation,
    description: 'A unit head\'s result rating comes from the unit\'s organisation predicate for the period (spec §5.4); a change marks only unit heads\' scores',
  })
  @ValidateIf(given)
  @IsBoolean()
  headRatingFromOrganisation?: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_DIALOGUES,
    type: 'integer',
    example: DEFAULT_SCORING_POLICY.minDialogues,
    description: 'Acknowledged performance dialogues each appraisal should have; fewer lists it in dialogue-gaps (spec §11); changes no score',
  })
  @ValidateIf(given)
  @IsInt()
  @Min(0)
  @Max(MAX_DIALOGUES)
  minDialogues?: number;
}

/** The whole policy, as answered by GET /periods/{id}/policy. */
export class ScoringPolicyDto implements ScoringPolicy {
  @ApiProperty({ example: DEFAULT_SCORING_POLICY.capaianCap }) capaianCap: number;
  @ApiProperty({ example: DEFAULT_SCORING_POLICY.aboveThreshold }) aboveThreshold: number;
  @ApiProperty({ example: DEFAULT_SCORING_POLICY.meetsThreshold }) meetsThreshold: number;
  @ApiProperty({ example: DEFAULT_SCORING_POLICY.resultWeight }) resultWeight: number;
  @ApiProperty({ example: DEFAULT_SCORING_POLICY.behaviourWeight }) behaviourWeight: number;
  @ApiProperty({ type: 'integer', example: DEFAULT_SCORING_POLICY.minEmployeeResponses }) minEmployeeResponses: number;
  @ApiProperty({ example: DEFAULT_SCORING_POLICY.employeeFeedbackWeight }) employeeFeedbackWeight: number;
  @ApiProperty({ type: 'integer', example: DEFAULT_SCORING_POLICY.minUnitResponses }) minUnitResponses: number;
  @ApiProperty({ example: DEFAULT_SCORING_POLICY.unitFeedbackWeight }) unitFeedbackWeight: number;
  @ApiProperty({ example: DEFAULT_SCORING_POLICY.enforceDistribution }) enforceDistribution: boolean;
  @ApiProperty({ example: DEFAULT_SCORING_POLICY.headRatingFromOrganisation }) headRatingFromOrganisation: boolean;
  @ApiProperty({ example: DEFAULT_SCORING_POLICY.requireTrainedAssessor }) requireTrainedAssessor: boolean;
  @ApiProperty({ type: 'integer', example: DEFAULT_SCORING_POLICY.minDialogues }) minDialogues: number;
}
