import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDateString, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import {
  EMPLOYEE_STATUSES,
  EmployeeEntity,
  EmployeeStatus,
  EMPLOYMENT_TYPES,
  EmploymentType,
  FUNCTIONAL_LEVELS,
  FunctionalLevel,
  Gender,
  GENDERS,
  JOB_TYPES,
  JobType,
  Potential,
  POTENTIALS,
} from '../entities/employee.entity';
import { trim, isSet } from '../../../common/validation/transforms';

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The fields of one employee as an HR system sends them (an import row, or POST /employees). */
export class EmployeeFieldsDto {
  @ApiProperty({ example: '199001152015031001', description: '18 digits; for PNS checked per Perka BKN 22/2007' })
  @IsString()
  @Transform(trim)
  nip: string;

  @ApiProperty({ example: 'I Made Wirawan' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: EMPLOYMENT_TYPES })
  @IsIn(EMPLOYMENT_TYPES)
  employmentType: EmploymentType;

  @ApiProperty({ example: 'III/a', description: 'PNS: I/a … IV/e; PPPK: I … XVII' })
  @IsString()
  @Transform(trim)
  rank: string;

  @ApiProperty({ example: '2021-04-01', format: 'date', description: 'TMT golongan' })
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'must be a calendar date' })
  rankSince: string;

  @ApiProperty({ enum: JOB_TYPES })
  @IsIn(JOB_TYPES)
  jobType: JobType;

  @ApiProperty({ example: 'Pengelola Layanan Operasional' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  positionTitle: string;

  @ApiPropertyOptional({ format: 'date', nullable: true, type: String, description: 'Defaults to the TMT CPNS in a PNS NIP' })
  @IsOptional()
  @ValidateIf(isSet)
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'must be a calendar date' })
  serviceStart?: string | null;

  @ApiPropertyOptional({ enum: FUNCTIONAL_LEVELS, nullable: true })
  @IsOptional()
  @ValidateIf(isSet)
  @IsIn(FUNCTIONAL_LEVELS)
  functionalLevel?: FunctionalLevel | null;

  @ApiPropertyOptional({ enum: GENDERS, description: 'PPPK only; derived from the NIP for PNS' })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: Gender;

  @ApiPropertyOptional({ format: 'date', description: 'PPPK only; derived from the NIP for PNS' })
  @IsOptional()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'must be a calendar date' })
  birthDate?: string;
}

export class EmployeeImportRow extends EmployeeFieldsDto {
  @ApiProperty({ example: 'DISHUB' })
  @Transform(upper)
  @IsString()
  @Length(1, 50)
  unitCode: string;

  @ApiPropertyOptional({ example: '197805122005011002', nullable: true, type: String, description: 'An existing employee or another row' })
  @IsOptional()
  @ValidateIf(isSet)
  @IsString()
  @Transform(trim)
  supervisorNip?: string | null;
}

export class CreateEmployeeDto extends EmployeeFieldsDto {
  @ApiPropertyOptional({ example: 'DISHUB', description: 'Either unitCode or unitId' })
  @ValidateIf((o: CreateEmployeeDto) => o.unitId === undefined)
  @Transform(upper)
  @IsString()
  @Length(1, 50)
  unitCode?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Either supervisorNip or supervisorId' })
  @IsOptional()
  @ValidateIf(isSet)
  @IsString()
  @Transform(trim)
  supervisorNip?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @ValidateIf(isSet)
  @IsUUID()
  supervisorId?: string | null;
}

// skipNullProperties: false: a field left out is kept, but `null` is validated, so it is refused (400) for the
// required fields instead of reaching the NOT NULL columns; nullable fields keep their own `null` handling.
export class UpdateEmployeeDto extends PartialType(OmitType(CreateEmployeeDto, [] as const), { skipNullProperties: false }) {
  @ApiPropertyOptional({ enum: EMPLOYEE_STATUSES, description: 'INACTIVE or RETIRED deactivates the employee' })
  @ValidateIf((_, v) => v !== undefined)
  @IsIn(EMPLOYEE_STATUSES)
  status?: EmployeeStatus;
}

export class EmployeeQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Employees of this unit and its descendants' })
  @IsOptional()
  @IsUUID()
  withinUnitId?: string;

  @ApiPropertyOptional({ enum: JOB_TYPES })
  @IsOptional()
  @IsIn(JOB_TYPES)
  jobType?: JobType;

  @ApiPropertyOptional({ example: 'III/a' })
  @IsOptional()
  @IsString()
  @Length(1, 10)
  rank?: string;

  @ApiPropertyOptional({ enum: EMPLOYEE_STATUSES })
  @IsOptional()
  @IsIn(EMPLOYEE_STATUSES)
  status?: EmployeeStatus;

  @ApiPropertyOptional({ enum: EMPLOYMENT_TYPES })
  @IsOptional()
  @IsIn(EMPLOYMENT_TYPES)
  employmentType?: EmploymentType;

  @ApiPropertyOptional({ format: 'uuid', description: 'Direct reports of this supervisor' })
  @IsOptional()
  @IsUUID()
  supervisorId?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive part of the name, or the start of the NIP' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class PotentialDto {
  @ApiProperty({ enum: POTENTIALS, nullable: true, description: 'From an assessment centre; null clears it' })
  @ValidateIf((_, v) => v !== null)
  @IsIn(POTENTIALS)
  potential: Potential | null;
}

export class EmployeeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '199001152015031001' }) nip: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: EMPLOYMENT_TYPES }) employmentType: EmploymentType;
  @ApiProperty({ enum: GENDERS, nullable: true }) gender: Gender | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) birthDate: string | null;
  @ApiProperty({ example: 'III/a' }) rank: string;
  @ApiProperty({ format: 'date' }) rankSince: string;
  @ApiProperty({ enum: JOB_TYPES }) jobType: JobType;
  @ApiProperty() positionTitle: string;
  @ApiProperty({ enum: FUNCTIONAL_LEVELS, nullable: true }) functionalLevel: FunctionalLevel | null;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) supervisorId: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) serviceStart: string | null;
  @ApiProperty({ enum: EMPLOYEE_STATUSES }) status: EmployeeStatus;
  @ApiProperty({ enum: POTENTIALS, nullable: true }) potential: Potential | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;

  static of(e: EmployeeEntity): EmployeeDto {
    return {
      id: e.id,
      nip: e.nip,
      name: e.name,
      employmentType: e.employmentType,
      gender: e.gender,
      birthDate: e.birthDate,
      rank: e.rank,
      rankSince: e.rankSince,
      jobType: e.jobType,
      positionTitle: e.positionTitle,
      functionalLevel: e.functionalLevel,
      unitId: e.unitId,
      supervisorId: e.supervisorId,
      serviceStart: e.serviceStart,
      status: e.status,
      potential: e.potential,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}
