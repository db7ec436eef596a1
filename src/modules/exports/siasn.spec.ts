import { fileNamePart } from '../../common/http/file-name';
import { SIASN_ANNUAL_COLUMNS, SIASN_PERIODIC_COLUMNS, siasnColumns, siasnRow, SiasnSource } from './siasn';

const source: SiasnSource = {
  nip: '199001012015031001',
  resultRating: 'ABOVE_EXPECTATION',
  behaviourRating: 'BELOW_EXPECTATION',
  predicateCode: 4,
  assessorNip: '197805152005011002',
  assessorName: 'I Made Suarjana',
  assessorRank: 'III/d',
  assessorPosition: 'Kepala Bidang Lalu Lintas',
  assessorUnitName: 'Dinas Perhubungan',
};

describe('siasnRow', () => {
  it('codes the ratings 1 ABOVE, 2 MEETS, 3 BELOW and passes the predicate code and the assessor through (annual layout)', () => {
    expect(siasnRow(source, { type: 'ANNUAL', startDate: '2025-01-01', endDate: '2025-12-31' })).toEqual({
      pnsDinilaiNip: '199001012015031001',
      tahun: 2025,
      hasilKinerjaNilai: 1,
      perilakuKerjaNilai: 3,
      kuadranKinerjaNilai: 4,
      penilaiNipNrp: '197805152005011002',
      penilaiNama: 'I Made Suarjana',
      penilaiGolongan: 'III/d',
      penilaiGolonganId: 34,
      penilaiJabatanNama: 'Kepala Bidang Lalu Lintas',
      penilaiUnorNama: 'Dinas Perhubungan',
      statusPenilai: 'ASN',
    });
    expect(siasnRow({ ...source, resultRating: 'MEETS_EXPECTATION', behaviourRating: 'MEETS_EXPECTATION' }, { type: 'ANNUAL', startDate: '2025-01-01', endDate: '2025-12-31' })).toMatchObject({
      hasilKinerjaNilai: 2,
      perilakuKerjaNilai: 2,
    });
  });

  it('adds the months and years of a periodic period, in the order of the periodic columns', () => {
    const row = siasnRow(source, { type: 'QUARTERLY', startDate: '2025-10-01', endDate: '2025-12-31' });
    expect(row).toMatchObject({ tahun: 2025, bulanMulaiPenilaian: 10, bulanSelesaiPenilaian: 12, tahunMulaiPenilaian: 2025, tahunSelesaiPenilaian: 2025 });
    expect(Object.keys(row)).toEqual([...SIASN_PERIODIC_COLUMNS]);
    expect(Object.keys(siasnRow(source, { type: 'MONTHLY', startDate: '2025-05-01', endDate: '2025-05-31' }))).toEqual(siasnColumns('MONTHLY'));
    expect(siasnColumns('ANNUAL')).toEqual(SIASN_ANNUAL_COLUMNS);
  });

  it('leaves the assessor fields null without an assessor, and the golongan id null for a PPPK rank', () => {
    const none = siasnRow(
      { ...source, assessorNip: null, assessorName: null, assessorRank: null, assessorPosition: null, assessorUnitName: null },
      { type: 'ANNUAL', startDate: '2025-01-01', endDate: '2025-12-31' },
    );
    expect(none).toMatchObject({ penilaiNipNrp: null, penilaiNama: null, penilaiGolongan: null, penilaiGolonganId: null, penilaiJabatanNama: null, penilaiUnorNama: null });
    expect(siasnRow({ ...source, assessorRank: 'IX' }, { type: 'ANNUAL', startDate: '2025-01-01', endDate: '2025-12-31' })).toMatchObject({ penilaiGolongan: 'IX', penilaiGolonganId: null });
  });
});

describe('fileNamePart', () => {
  it('keeps letters, digits, dot, dash and underscore, and replaces the rest', () => {
    expect(fileNamePart('2025-05')).toBe('2025-05');
    expect(fileNamePart('TW 1/2025"x')).toBe('TW_1_2025_x');
  });
});
