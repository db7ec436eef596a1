import { ApiProperty, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsUUID, Matches } from 'class-validator';
import { IKM_CATEGORIES, IkmCategory, IkmLabel } from '../../scoring/ikm';
import { PERIOD_TYPES, PeriodType } from '../../periods/entities/period.entity';
import { UNIT_CODE_PATTERN, upper } from '../../units/dto/unit.dto';
import { MIN_PUBLIC_APPRAISALS, MIN_PUBLIC_RESPONSES } from '../thresholds';

const IKM_LABELS: IkmLabel[] = ['Sangat Baik', 'Baik', 'Kurang Baik', 'Tidak Baik'];

export class ServiceIndexQueryDto {
  @ApiProperty({ format: 'uuid', description: 'The period whose start and end dates (inclusive) select the feedback by its WITA submission date' })
  @IsUUID()
  periodId: string;
}

export class PublicServiceIndexQueryDto {
  @ApiProperty({ example: 'DISHUB', description: 'Unit code (case-insensitive); the index covers the unit and every unit below it' })
  @Transform(upper)
  @Matches(UNIT_CODE_PATTERN, { message: 'must be a unit code: 1-50 characters of A-Z, 0-9, underscore, dot or dash' })
  unitCode: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  periodId: string;
}

/** NRR (nilai rata-rata) per SKM element: the mean of its answers (1–4), 2 decimals. */
export class NrrDto {
  @ApiProperty({ example: 3.67, description: 'Persyaratan' }) U1: number;
  @ApiProperty({ example: 3.33, description: 'Sistem, mekanisme dan prosedur' }) U2: number;
  @ApiProperty({ example: 3, description: 'Waktu penyelesaian' }) U3: number;
  @ApiProperty({ example: 2.67, description: 'Biaya/tarif' }) U4: number;
  @ApiProperty({ example: 3.67, description: 'Produk spesifikasi jenis pelayanan' }) U5: number;
  @ApiProperty({ example: 3.33, description: 'Kompetensi pelaksana' }) U6: number;
  @ApiProperty({ example: 3, description: 'Perilaku pelaksana' }) U7: number;
  @ApiProperty({ example: 2.67, description: 'Penanganan pengaduan, saran dan masukan' }) U8: number;
  @ApiProperty({ example: 3.67, description: 'Sarana dan prasarana' }) U9: number;
}

/** The figures of an index; every one but `responses` is null when there is no response. */
export class IkmFiguresDto {
  @ApiProperty({ example: 3, description: 'Responses counted' }) responses: number;
  @ApiProperty({ example: 80.56, nullable: true, type: Number, description: 'Mean of the nine NRR × 25 (25–100), 2 decimals, half away from zero' })
  ikm: number | null;
  @ApiProperty({ enum: IKM_CATEGORIES, nullable: true, example: 'B', description: 'A 88.31–100, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99, of the rounded ikm' })
  category: IkmCategory | null;
  @ApiProperty({ enum: IKM_LABELS, nullable: true, example: 'Baik' }) label: IkmLabel | null;
  @ApiProperty({ type: NrrDto, nullable: true }) nrr: NrrDto | null;
}

const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;

/**
 * The respondent profile of the counted responses (the SKM report of PermenPAN-RB 14/2017): per field, the
 * number of responses per value that occurs; UNKNOWN for responses that left it out. Staff only: small cells
 * could single out a respondent.
 */
export class RespondentProfileCountsDto {
  @ApiProperty({ ...COUNTS, example: { FEMALE: 12, MALE: 9, UNKNOWN: 3 } }) gender: Record<string, number>;
  @ApiProperty({ ...COUNTS, example: { AGE_20_29: 8, AGE_30_39: 10, UNKNOWN: 6 } }) ageGroup: Record<string, number>;
  @ApiProperty({ ...COUNTS, example: { SMA: 11, D4_S1: 9, UNKNOWN: 4 } }) education: Record<string, number>;
  @ApiProperty({ ...COUNTS, example: { SWASTA: 10, WIRAUSAHA: 7, UNKNOWN: 7 } }) occupation: Record<string, number>;
}

export class UnitServiceIndexDto extends IkmFiguresDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ format: 'uuid' }) periodId: string;
  @ApiProperty({ type: RespondentProfileCountsDto }) respondents: RespondentProfileCountsDto;
}

export class EmployeeServiceIndexDto extends IkmFiguresDto {
  @ApiProperty({ format: 'uuid' }) employeeId: string;
  @ApiProperty({ format: 'uuid' }) periodId: string;
}

/** What the public index always shows: which unit and period, and whether figures are published. */
export class PublicServiceIndexUnpublishedDto {
  @ApiProperty({ example: 'DISHUB' }) unitCode: string;
  @ApiProperty({ example: 'Dinas Perhubungan' }) unitName: string;
  @ApiProperty({ format: 'uuid' }) periodId: string;
  @ApiProperty({ example: '2026-Q4' }) periodCode: string;
  // One value per branch so a published answer matches exactly one schema of the oneOf.
  @ApiProperty({
    type: Boolean,
    enum: [false],
    example: false,
    description: `false: fewer than ${MIN_PUBLIC_RESPONSES} responses, or withheld so that no combination of public figures isolates fewer (spec §8); no figure at all, not even the number of responses`,
  })
  published: false;
}

export class PublicServiceIndexPublishedDto extends OmitType(PublicServiceIndexUnpublishedDto, ['published'] as const) {
  @ApiProperty({ type: Boolean, enum: [true], example: true, description: `true: at least ${MIN_PUBLIC_RESPONSES} responses, and no combination with the other public figures isolates fewer` })
  published: true;
  @ApiProperty({ example: 124 }) responses: number;
  @ApiProperty({ example: 82.15, description: 'Mean of the nine NRR × 25 (25–100), 2 decimals' }) ikm: number;
  @ApiProperty({ enum: IKM_CATEGORIES, example: 'B' }) category: IkmCategory;
  @ApiProperty({ enum: IKM_LABELS, example: 'Baik' }) label: IkmLabel;
  @ApiProperty({ type: NrrDto }) nrr: NrrDto;
}

export type PublicServiceIndexDto = PublicServiceIndexUnpublishedDto | PublicServiceIndexPublishedDto;

export class PublicPredicateCountsDto {
  @ApiProperty({ example: 2 }) SANGAT_BAIK: number;
  @ApiProperty({ example: 9 }) BAIK: number;
  @ApiProperty({ example: 1 }) BUTUH_PERBAIKAN: number;
  @ApiProperty({ example: 0 }) KURANG: number;
  @ApiProperty({ example: 0 }) SANGAT_KURANG: number;
}

export class PublicUnitSummaryDto {
  @ApiProperty({ example: 'DISHUB' }) unitCode: string;
  @ApiProperty({ example: 'Dinas Perhubungan' }) unitName: string;
  @ApiProperty({ example: 12, description: 'FINALIZED appraisals whose own unit is this one (units below it are listed separately)' })
  appraisals: number;
  @ApiProperty({ type: PublicPredicateCountsDto }) predicates: PublicPredicateCountsDto;
  @ApiProperty({ example: 0, description: 'Appraisals finalised without a predicate (behaviour not assessed)' }) withoutPredicate: number;
}

export class PublicPeriodSummaryDto {
  @ApiProperty({ format: 'uuid' }) periodId: string;
  @ApiProperty({ example: '2026' }) code: string;
  @ApiProperty({ enum: PERIOD_TYPES, example: 'ANNUAL' }) type: PeriodType;
  @ApiProperty({ format: 'date', example: '2026-01-01' }) startDate: string;
  @ApiProperty({ format: 'date', example: '2026-12-31' }) endDate: string;
  @ApiProperty({ example: MIN_PUBLIC_APPRAISALS, description: 'Units with fewer FINALIZED appraisals of their own are left out' })
  minAppraisals: number;
  @ApiProperty({ type: [PublicUnitSummaryDto], description: 'By unit code; no grand total' }) units: PublicUnitSummaryDto[];
}
