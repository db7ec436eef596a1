import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ImportRowError } from '../import/import-result';

export class FieldErrorDto {
  @ApiProperty({ example: 'nip' }) field: string;
  @ApiProperty({ example: 'the birth date 19901331 is not a calendar date' }) message: string;
}

/** A unit that breaks the distribution curve of its organisation predicate (`distribution-curve-broken`). */
export class BrokenCurveUnitDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ example: 'DISHUB' }) unitCode: string;
  // CurveFailureDto belongs to the distribution module, which the common layer does not import.
  @ApiProperty({ type: 'array', items: { $ref: '#/components/schemas/CurveFailureDto' } }) failures: object[];
}

/** RFC 9457 problem details as documented in the OpenAPI spec (served as application/problem+json). */
export class ProblemResponse {
  @ApiProperty({ example: 'urn:capaian:problem:validation-failed' }) type: string;
  @ApiProperty({ example: 'Bad Request' }) title: string;
  @ApiProperty({ type: 'integer', example: 400, description: 'The HTTP status code of the answer' }) status: number;
  @ApiProperty({ example: 'The request has invalid fields' }) detail: string;
  @ApiProperty({ example: '/employees' }) instance: string;
  @ApiProperty({
    example: 'validation-failed',
    description: 'Stable machine-readable error code: one of the codes of the problem table in the description of this API; new codes may be added',
  })
  code: string;
  @ApiProperty({ example: '5f0c6a52-8f1e-4d7e-9d8e-2b7d9c1f3a10', description: 'Also sent in the `X-Request-Id` header; quote it when reporting' })
  requestId: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Validation: each offending field' }) errors?: FieldErrorDto[];

  // Extension members, each sent only with the codes named in its description.
  @ApiPropertyOptional({
    description: 'The field in conflict (`duplicate-*`, `unit-inactive`, `unit-cycle`, `supervisor-cycle`, `duplicate-target`, `employee-inactive`, `invalid-assessor`)',
    example: 'code',
  })
  field?: string;
  @ApiPropertyOptional({
    description:
      'The condition of spec §8 rule 3 that the assignee breaks (`invalid-assessor`): `assessor-is-reviewer`, `inactive`, `appraisee`, ' +
      '`caller` or `supervised-by-appraisee`',
    example: 'supervised-by-appraisee',
  })
  condition?: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'string', format: 'uuid' }, description: 'Up to 100 of the appraisals still DRAFT or AGREED (`appraisals-not-assessed`)' })
  appraisalIds?: string[];
  @ApiPropertyOptional({ type: 'integer', description: 'How many appraisals are still DRAFT or AGREED (`appraisals-not-assessed`)', example: 3 })
  count?: number;
  @ApiPropertyOptional({ type: [BrokenCurveUnitDto], description: 'The units whose subtree breaks the curve (`distribution-curve-broken`)' })
  units?: BrokenCurveUnitDto[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'What still refers to the unit, by kind, e.g. `{"employee(s)": 3}` (`unit-in-use`)',
  })
  dependants?: Record<string, number>;
  @ApiPropertyOptional({ description: 'The current status of the feedback: PUBLISHED, VERIFIED, HELD or REJECTED (`feedback-state`)', example: 'REJECTED' })
  feedbackStatus?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Seconds to wait, as in the `Retry-After` header (429 from a domain limit)', example: 30 })
  retryAfter?: number;
  @ApiPropertyOptional({ description: 'The sum of the target weights (`weights-not-100`, `no-targets`)', example: 90 })
  weightTotal?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'How many targets the appraisal has (`weights-not-100`, `no-targets`)', example: 3 })
  targetCount?: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'The appraisal concerned (`duplicate-appraisal`: the existing one; `appraisal-not-agreed`)' })
  appraisalId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The period concerned (`period-not-open-for-achievements`)' })
  periodId?: string;
  @ApiPropertyOptional({ description: 'The period\'s status: PLANNING, OPEN, EVALUATION or CLOSED (`period-not-open-for-achievements`, `period-not-closed`)', example: 'OPEN' })
  periodStatus?: string;
  @ApiPropertyOptional({ description: 'The achievement\'s status: SUBMITTED, VERIFIED or REJECTED (`achievement-not-submitted`)', example: 'VERIFIED' })
  achievementStatus?: string;
  @ApiPropertyOptional({ description: 'The appraisal\'s status: DRAFT, AGREED, ASSESSED or FINALIZED (`invalid-appraisal-status`, `appraisal-not-agreed`)', example: 'FINALIZED' })
  appraisalStatus?: string;
  @ApiPropertyOptional({ description: 'The period\'s current status (`invalid-transition`)', example: 'OPEN' }) from?: string;
  @ApiPropertyOptional({ description: 'The status asked for (`invalid-transition`)', example: 'CLOSED' }) to?: string;
  @ApiPropertyOptional({ type: [String], description: 'The statuses the period may move to: none or one (`invalid-transition`)', example: ['EVALUATION'] })
  allowed?: string[];
  @ApiPropertyOptional({ type: [String], description: 'The fields that cannot change (`indicator-locked`)', example: ['unit'] })
  fields?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Codes of the CLOSED periods whose targets use the indicator (`indicator-locked`)', example: ['2025'] })
  closedPeriods?: string[];
  @ApiPropertyOptional({ type: 'integer', description: 'Achievements recorded against the target (`target-in-use`)' }) achievements?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Targets cascaded from the target (`target-in-use`)' }) cascades?: number;
  @ApiPropertyOptional({ description: 'The appraisal\'s current ETag (`etag-mismatch`)', example: '"v4"' }) etag?: string;
  @ApiPropertyOptional({ type: [ImportRowError], description: 'The failed rows (`import-rejected`); `errors` names them too' })
  rowErrors?: ImportRowError[];
  @ApiPropertyOptional({
    type: 'object',
    nullable: true,
    additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } }, required: ['status'] },
    description: 'Each dependency, up or down (`not-ready`)',
  })
  checks?: Record<string, { status: string }> | null;
}
