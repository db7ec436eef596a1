/** A safe part of a download's file name (period code, NIP): letters, digits, dot, dash and underscore. */
export const fileNamePart = (text: string): string => text.replace(/[^A-Za-z0-9._-]/g, '_');
