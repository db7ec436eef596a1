import { ApiProperty } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

export class HealthCheckDto {
  @ApiProperty({ enum: ['up', 'down'] }) status: 'up' | 'down';
}

const CHECKS = {
  type: 'object',
  additionalProperties: { $ref: '#/components/schemas/HealthCheckDto' },
  example: { database: { status: 'up' }, redis: { status: 'up' } },
} as const;

/** The readiness answer of @nestjs/terminus: `info` holds the checks that are up, `details` all of them. */
export class ReadinessDto {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
  @ApiProperty({ ...CHECKS, description: 'The dependencies that are up: `database`, and `redis` when REDIS_URL is set' })
  info: Record<string, HealthCheckDto>;
  @ApiProperty({ ...CHECKS, example: {}, description: 'The dependencies that are down: none in a 200 answer' })
  error: Record<string, HealthCheckDto>;
  @ApiProperty({ ...CHECKS, description: 'Every dependency checked' })
  details: Record<string, HealthCheckDto>;
}
