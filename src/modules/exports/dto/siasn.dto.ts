import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { SIASN_FORMATS, SiasnFormat, SiasnRow } from '../siasn';

export class SiasnExportQueryDto {
  @ApiPropertyOptional({ enum: SIASN_FORMATS, default: 'json', description: 'json: a plain array of rows; csv: RFC 4180, UTF-8, header row, CRLF' })
  @IsOptional()
  @IsIn(SIASN_FORMATS)
  format: SiasnFormat = 'json';
}

const RATING_CODE = { type: 'integer', enum: [1, 2, 3], description: '1 ABOVE_EXPECTATION, 2 MEETS_EXPECTATION, 3 BELOW_EXPECTATION' } as const;
const OF_ASSESSOR = 'of the appraisal\'s assessor (pejabat penilai) as the employee record says now; null when the appraisal has no assessor';

/** One row of SIASN's performance endpoints (spec §10), in SIASN's field names. */
export class SiasnRowDto implements SiasnRow {
  @ApiProperty({ pattern: '^[0-9]{18}$', example: '198503122010011004', description: 'NIP of the appraised employee' }) pnsDinilaiNip: string;
  @ApiProperty({ type: 'integer', example: 2025, description: 'The year the period starts in' }) tahun: number;
  @ApiProperty({ ...RATING_CODE, example: 2 }) hasilKinerjaNilai: 1 | 2 | 3;
  @ApiProperty({ ...RATING_CODE, example: 1 }) perilakuKerjaNilai: 1 | 2 | 3;
  @ApiProperty({ type: 'integer', enum: [1, 2, 3, 4, 5], example: 2, description: 'The predicate code of spec §5 (kuadran): 1 SANGAT_BAIK … 5 SANGAT_KURANG' })
  kuadranKinerjaNilai: 1 | 2 | 3 | 4 | 5;
  @ApiProperty({ type: String, nullable: true, pattern: '^[0-9]{18}$', example: '197805152005011002', description: `NIP ${OF_ASSESSOR}` }) penilaiNipNrp: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'I Made Suarjana', description: `Name ${OF_ASSESSOR}` }) penilaiNama: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'III/d', description: `Golongan ${OF_ASSESSOR}` }) penilaiGolongan: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 34, description: `BKN's golongan id (I/a = 11 … IV/e = 45) ${OF_ASSESSOR}; null for a PPPK rank` })
  penilaiGolonganId: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'Kepala Bidang Lalu Lintas', description: `Position title ${OF_ASSESSOR}` }) penilaiJabatanNama: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Dinas Perhubungan', description: `Unit name ${OF_ASSESSOR}` }) penilaiUnorNama: string | null;
  @ApiProperty({ enum: ['ASN'], example: 'ASN' }) statusPenilai: 'ASN';
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 12, example: 5, description: 'MONTHLY and QUARTERLY periods only: month of the start date' })
  bulanMulaiPenilaian?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 12, example: 5, description: 'MONTHLY and QUARTERLY periods only: month of the end date' })
  bulanSelesaiPenilaian?: number;
  @ApiPropertyOptional({ type: 'integer', example: 2025, description: 'MONTHLY and QUARTERLY periods only: year of the start date' }) tahunMulaiPenilaian?: number;
  @ApiPropertyOptional({ type: 'integer', example: 2025, description: 'MONTHLY and QUARTERLY periods only: year of the end date' }) tahunSelesaiPenilaian?: number;
}
