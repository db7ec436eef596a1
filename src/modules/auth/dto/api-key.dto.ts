import { ApiProperty } from '@nestjs/swagger';
import { API_SCOPES } from '../../../common/auth/principal';
import { ApiKeyEntity } from '../entities/api-key.entity';

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'SIMPEG sync' }) name: string;
  @ApiProperty({ example: 'k3x9q0a1b2c3', description: 'Public part of the key, to recognise it in lists' })
  prefix: string;
  @ApiProperty({ enum: API_SCOPES, isArray: true }) scopes: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: Date | null;
  @ApiProperty({ enum: ['ACTIVE', 'REVOKED'] }) status: 'ACTIVE' | 'REVOKED';

  static of(k: ApiKeyEntity): ApiKeyDto {
    return {
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      scopes: k.scopes,
      createdAt: k.createdAt,
      lastUsedAt: k.lastUsedAt,
      revokedAt: k.revokedAt,
      status: k.revokedAt ? 'REVOKED' : 'ACTIVE',
    };
  }
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'cap_k3x9q0a1b2c3_9bT0s6Qe1mKx0Zl0yQ2F4H8c3w7Xb1nA5dV6eJ2rL0s',
    description: 'The key itself. Shown only in this answer; store it in the client\'s secret store.',
  })
  key: string;
}
