import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @Length(1, 64)
  username: string;

  @ApiProperty({ example: 'capaian-admin-dev' })
  @IsString()
  @Length(1, 200)
  password: string;
}

export class TokenDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' }) accessToken: string;
  @ApiProperty({ example: 'Bearer', enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ example: 3600, description: 'Lifetime of the token in seconds' }) expiresIn: number;
}

export class MeDto {
  @ApiProperty({ enum: ['user', 'api-key'] }) kind: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ required: false }) username?: string;
  @ApiProperty({ required: false }) role?: string;
  @ApiProperty({ required: false, nullable: true, type: String }) employeeId?: string | null;
  @ApiProperty({ required: false, nullable: true, type: String }) unitId?: string | null;
  @ApiProperty({ required: false }) name?: string;
  @ApiProperty({ required: false, isArray: true, type: String }) scopes?: string[];
}
