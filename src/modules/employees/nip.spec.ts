import { checkNip } from './nip';

describe('checkNip', () => {
  it.each([
    // [nip, type, expected message fragment or derived fields]
    ['199001152015031001', 'PNS', { birthDate: '1990-01-15', gender: 'MALE', tmtCpns: '2015-03' }],
    ['198512312010122999', 'PNS', { birthDate: '1985-12-31', gender: 'FEMALE', tmtCpns: '2010-12' }],
    ['200002292018011001', 'PNS', { birthDate: '2000-02-29', gender: 'MALE' }], // leap day
    ['199001152008011001', 'PNS', { birthDate: '1990-01-15' }], // TMT in the 18th-birthday year
    ['123456789012345678', 'PPPK', {}], // PPPK: digits and length only
  ] as const)('accepts %s (%s)', (nip, type, derived) => {
    const r = checkNip(nip, type);
    expect(r).toMatchObject({ ok: true, ...derived });
  });

  it.each([
    ['19900115201503100', 'PNS', '18 digits'], // 17 digits
    ['1990011520150310011', 'PNS', '18 digits'], // 19 digits
    ['19900115201503100A', 'PNS', '18 digits'],
    ['12345678901234567X', 'PPPK', '18 digits'],
    ['199013152015031001', 'PNS', 'birth date 19901315'], // month 13
    ['199002302015031001', 'PNS', 'birth date 19900230'], // 30 February
    ['199002292015031001', 'PNS', 'birth date 19900229'], // 1990 is not a leap year
    ['189912312015031001', 'PNS', 'birth date'], // before 1900
    ['199001152015001001', 'PNS', 'month 00'],
    ['199001152015131001', 'PNS', 'month 13'],
    ['199001152007121001', 'PNS', 'before the 18th birthday year 2008'],
    ['199001152015033001', 'PNS', 'gender digit 3'],
    ['199001152015030001', 'PNS', 'gender digit 0'],
    ['199001152015031000', 'PNS', 'sequence number 000'],
  ] as const)('rejects %s (%s): %s', (nip, type, fragment) => {
    const r = checkNip(nip, type);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain(fragment);
  });
});
