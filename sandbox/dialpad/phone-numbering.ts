// E.164 arithmetic the Dialpad sandbox needs: the area code of a number, and fresh numbers in an area code.

/** Two-digit country calling codes (E.164 codes are prefix-free: 1 and 7 are one digit, the rest three). */
const TWO_DIGIT_CALLING_CODES: ReadonlySet<string> = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84',
  '86', '90', '91', '92', '93', '94', '95', '98',
]);

const E164 = /^\+[1-9]\d{6,14}$/;

export function isE164(value: string): boolean {
  return E164.test(value);
}

export function callingCodeOf(e164: string): string {
  const digits = e164.slice(1);
  if (digits.startsWith('1') || digits.startsWith('7')) return digits.slice(0, 1);
  const two = digits.slice(0, 2);
  return TWO_DIGIT_CALLING_CODES.has(two) ? two : digits.slice(0, 3);
}

/**
 * The area code: the NPA for NANP (+1) numbers; elsewhere the two digits after the calling code
 * (an approximation: real national area codes vary in length).
 */
export function areaCodeOf(e164: string): string {
  const callingCode = callingCodeOf(e164);
  const national = e164.slice(1 + callingCode.length);
  return national.slice(0, callingCode === '1' ? 3 : 2);
}

/** How many digits follow the area code in `e164` (7 for NANP, 8 for a London number). */
export function subscriberLengthOf(e164: string): number {
  const callingCode = callingCodeOf(e164);
  return e164.length - 1 - callingCode.length - areaCodeOf(e164).length;
}

/** Hands out new numbers `+<calling code><area code><subscriber>` that are not already taken. */
export class NumberGenerator {
  private readonly nextByPrefix = new Map<string, number>();

  constructor(private readonly isTaken: (number: string) => boolean) {}

  /** Subscriber parts start at 2 followed by zeros (NANP exchanges cannot start with 0 or 1). */
  next(callingCode: string, areaCode: string, subscriberLength = 7): string | undefined {
    const prefix = `+${callingCode}${areaCode}`;
    const key = `${prefix}/${subscriberLength}`;
    const last = 10 ** subscriberLength - 1;
    let subscriber = this.nextByPrefix.get(key) ?? 2 * 10 ** (subscriberLength - 1);
    while (subscriber <= last) {
      const candidate = `${prefix}${subscriber}`;
      subscriber += 1;
      if (!this.isTaken(candidate)) {
        this.nextByPrefix.set(key, subscriber);
        return candidate;
      }
    }
    this.nextByPrefix.set(key, subscriber);
    return undefined;
  }
}

/** Numeric order for E.164 strings: shorter first, then by digits. */
export function compareNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Calling codes of the countries a sandbox office is likely to be in, for offices without a main line. */
const CALLING_CODE_BY_COUNTRY: Readonly<Record<string, string>> = {
  us: '1', ca: '1', gb: '44', ie: '353', fr: '33', de: '49', nl: '31', es: '34', it: '39', au: '61', nz: '64',
  jp: '81', in: '91', mx: '52', br: '55', ph: '63', sg: '65',
};

export function callingCodeForCountry(country: string): string | undefined {
  return CALLING_CODE_BY_COUNTRY[country.toLowerCase()];
}
