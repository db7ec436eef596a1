import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'nip' }) field: string;
  @ApiProperty({ example: 'the birth date 19901331 is not a calendar date' }) message: string;
}

/** RFC 9457 problem details as documented in the OpenAPI spec (served as application/problem+json). */
export class ProblemResponse {
  @ApiProperty({ example: 'urn:capaian:problem:validation-failed' }) type: string;
  @ApiProperty({ example: 'Bad Request' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ example: 'The request has invalid fields' }) detail: string;
  @ApiProperty({ example: '/employees' }) instance: string;
  @ApiProperty({ example: 'validation-failed', description: 'Stable machine-readable error code' }) code: string;
  @ApiPropertyOptional({ example: '5f0c6a52-8f1e-4d7e-9d8e-2b7d9c1f3a10' }) requestId?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}
