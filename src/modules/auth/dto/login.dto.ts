import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { API_SCOPES, ApiScope, Role, ROLES } from '../../../common/auth/principal';

/** Lengths a sign-in may have; UsersService.verifyCredentials refuses others for callers that skip this DTO. */
export const LOGIN_USERNAME_LENGTH = { min: 1, max: 64 } as const;
export const LOGIN_PASSWORD_LENGTH = { min: 1, max: 200 } as const;

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @Length(LOGIN_USERNAME_LENGTH.min, LOGIN_USERNAME_LENGTH.max)
  username: string;

  @ApiProperty({ example: 'capaian-admin-dev' })
  @IsString()
  @Length(LOGIN_PASSWORD_LENGTH.min, LOGIN_PASSWORD_LENGTH.max)
  password: string;
}

export class TokenDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' }) accessToken: string;
  @ApiProperty({ example: 'Bearer', enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ example: 3600, description: 'Lifetime of the token in seconds' }) expiresIn: number;
}

export class UserMeDto {
  @ApiProperty({ enum: ['user'] }) kind: 'user';
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'admin' }) username: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The employee the user is, if linked' }) employeeId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'An HR operator\'s unit subtree' }) unitId: string | null;
}

export class ApiKeyMeDto {
  @ApiProperty({ enum: ['api-key'] }) kind: 'api-key';
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'SIMPEG sync' }) name: string;
  @ApiProperty({ enum: API_SCOPES, isArray: true }) scopes: ApiScope[];
}

/** A signed-in user or an API key, told apart by `kind`. */
export type MeDto = UserMeDto | ApiKeyMeDto;
