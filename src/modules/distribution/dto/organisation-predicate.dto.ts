import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import {
  ORGANISATION_PREDICATES,
  OrganisationPredicate,
  OrganisationPredicateEntity,
} from '../entities/organisation-predicate.entity';

export class SetOrganisationPredicateDto {
  @ApiProperty({ enum: ORGANISATION_PREDICATES, example: 'BAIK', description: 'Predikat kinerja organisasi of the unit for the period' })
  @IsIn(ORGANISATION_PREDICATES)
  predicate: OrganisationPredicate;
}

export class OrganisationPredicateDto {
  @ApiProperty({ format: 'uuid' }) periodId: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ enum: ORGANISATION_PREDICATES, example: 'BAIK' }) predicate: OrganisationPredicate;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The user, or API key, that set the current value' })
  setBy: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the current value was set' }) setAt: Date;

  static of(p: OrganisationPredicateEntity): OrganisationPredicateDto {
    return { periodId: p.periodId, unitId: p.unitId, predicate: p.predicate, setBy: p.setBy, setAt: p.setAt };
  }
}
