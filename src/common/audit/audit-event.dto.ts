import { ApiProperty } from '@nestjs/swagger';
import { ACTOR_TYPES } from './audit-event.entity';

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ enum: ACTOR_TYPES }) actorType: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ example: 'admin' }) actorName: string;
  @ApiProperty({ example: 'employee.update' }) action: string;
  @ApiProperty({ example: 'employee' }) entityType: string;
  @ApiProperty({ nullable: true, type: String }) entityId: string | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) before: object | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) after: object | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why, where the caller must give a reason (e.g. reassigning an assessor)' })
  reason: string | null;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
}
