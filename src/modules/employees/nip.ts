export type NipCheck =
  | { ok: true; birthDate?: string; gender?: 'MALE' | 'FEMALE'; tmtCpns?: string }
  | { ok: false; message: string };

const isCalendarDate = (y: number, m: number, d: number) => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/**
 * NIP rules (Perka BKN 22/2007): a PNS NIP is YYYYMMDD birth date + YYYYMM TMT CPNS + gender digit
 * (1 male, 2 female) + a 3-digit sequence 001-999. A PPPK number is checked for 18 digits only.
 */
export function checkNip(nip: string, employmentType: 'PNS' | 'PPPK'): NipCheck {
  if (!/^\d{18}$/.test(nip)) return { ok: false, message: 'must be exactly 18 digits' };
  if (employmentType === 'PPPK') return { ok: true };

  const y = Number(nip.slice(0, 4));
  const m = Number(nip.slice(4, 6));
  const d = Number(nip.slice(6, 8));
  if (y < 1900 || !isCalendarDate(y, m, d)) {
    return { ok: false, message: `the birth date ${nip.slice(0, 8)} is not a possible calendar date` };
  }
  const tmtYear = Number(nip.slice(8, 12));
  const tmtMonth = Number(nip.slice(12, 14));
  if (tmtMonth < 1 || tmtMonth > 12) {
    return { ok: false, message: `the TMT CPNS month ${nip.slice(12, 14)} is not between 01 and 12` };
  }
  if (tmtYear < y + 18) {
    return { ok: false, message: `the TMT CPNS year ${tmtYear} is before the 18th birthday year ${y + 18}` };
  }
  const genderDigit = nip[14];
  if (genderDigit !== '1' && genderDigit !== '2') {
    return { ok: false, message: `the gender digit ${genderDigit} is neither 1 (male) nor 2 (female)` };
  }
  if (nip.slice(15) === '000') return { ok: false, message: 'the sequence number 000 is not issued' };
  return {
    ok: true,
    birthDate: `${nip.slice(0, 4)}-${nip.slice(4, 6)}-${nip.slice(6, 8)}`,
    gender: genderDigit === '1' ? 'MALE' : 'FEMALE',
    tmtCpns: `${nip.slice(8, 12)}-${nip.slice(12, 14)}`,
  };
}
