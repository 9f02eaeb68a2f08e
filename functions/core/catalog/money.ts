/**
 * Money as the store keeps it: an integer count of the currency's minor units, never a binary
 * float. Clients send and get the decimal ("19.99"); a JSON number is read through its shortest
 * decimal form, which is the text the client wrote for any price a person types.
 */

/** ISO 4217 currencies whose minor unit is not the cent (all others have two decimals). */
const MINOR_DIGITS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export interface Money {
  /** Whole minor units (cents for EUR, yen for JPY): exact, never negative. */
  minorUnits: number;
  /** ISO 4217 code, upper case. */
  currency: string;
}

export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

/** The decimal text of an amount as a client sent it (a string, or a number's shortest form). */
export function decimalText(amount: string | number): string {
  return typeof amount === 'number' ? String(amount) : amount.trim();
}

/** Why the amount cannot be a price in this currency, or null when it can. */
export function amountProblem(amount: string | number, currency: string): string | null {
  const text = decimalText(amount);
  const match = /^(\d{1,13})(?:\.(\d+))?$/.exec(text);
  if (!match) return text.startsWith('-') ? 'must not be negative' : 'must be a decimal amount like "19.99"';
  const digits = minorDigits(currency);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) return digits === 0 ? `must be a whole number in ${currency}` : `has more than ${digits} decimals, which ${currency} does not have`;
  if (!Number.isSafeInteger(Number(match[1]) * 10 ** digits)) return 'is too large';
  return null;
}

/** Parses a checked amount (see amountProblem) into minor units, digit by digit: no float on the way. */
export function toMoney(amount: string | number, currency: string): Money {
  const [whole = '0', fraction = ''] = decimalText(amount).split('.');
  const digits = minorDigits(currency);
  const padded = fraction.padEnd(digits, '0').slice(0, digits);
  return { minorUnits: Number(whole) * 10 ** digits + (padded === '' ? 0 : Number(padded)), currency };
}

/** The decimal text of a stored price, with the currency's decimals: 1999 EUR is "19.99". */
export function formatAmount(money: Money): string {
  const digits = minorDigits(money.currency);
  if (digits === 0) return String(money.minorUnits);
  const text = String(money.minorUnits).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
