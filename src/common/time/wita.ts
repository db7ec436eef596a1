/** Denpasar's time zone: calendar dates of the spec are WITA dates (UTC+8). */
export const WITA = 'Asia/Makassar';

const format = new Intl.DateTimeFormat('en-CA', { timeZone: WITA });

/** The WITA calendar date (YYYY-MM-DD) of an instant. */
export const witaDate = (at: Date = new Date()): string => format.format(at);
