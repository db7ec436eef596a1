import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { Role, ROLES } from '../../../common/auth/principal';
import { UserEntity } from '../entities/user.entity';

export const USERNAME_PATTERN = /^[a-z0-9._-]{3,64}$/;

export class CreateUserDto {
  @ApiProperty({ example: 'operator.dishub', pattern: USERNAME_PATTERN.source })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'must be 3-64 characters of a-z, 0-9, dot, dash or underscore' })
  username: string;

  @ApiProperty({ minLength: 12, maxLength: 200, example: 'a-long-passphrase' })
  @IsString()
  @Length(12, 200)
  password: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'The employee this user is: required for EMPLOYEE, optional for the other roles' })
  @ValidateIf((o: CreateUserDto) => o.role === 'EMPLOYEE' || o.employeeId !== undefined)
  @IsUUID()
  employeeId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for HR_OPERATOR: the root of the unit subtree they manage' })
  @ValidateIf((o: CreateUserDto) => o.role === 'HR_OPERATOR' || o.unitId !== undefined)
  @IsUUID()
  unitId?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ minLength: 12, maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(12, 200)
  password?: string;

  @ApiPropertyOptional({ description: 'false blocks login and invalidates existing tokens' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'HR_OPERATOR only: move the subtree they manage' })
  @IsOptional()
  @IsUUID()
  unitId?: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'operator.dishub' }) username: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) employeeId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) unitId: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ enum: ['ACTIVE', 'INACTIVE'] }) status: 'ACTIVE' | 'INACTIVE';
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;

  static of(u: UserEntity): UserDto {
    return {
      id: u.id,
      username: u.username,
      role: u.role,
      employeeId: u.employeeId,
      unitId: u.unitId,
      active: u.active,
      status: u.active ? 'ACTIVE' : 'INACTIVE',
      createdAt: u.createdAt,
      updatedAt: u.updatedAt,
    };
  }
}
