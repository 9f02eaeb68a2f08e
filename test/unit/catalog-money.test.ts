/** Catalog prices: exact decimals in and out, minor units in between, no float artefacts. */
import { describe, expect, it } from 'vitest';
import { amountProblem, formatAmount, toMoney } from '../../functions/core/catalog/money.js';
import { gameInput } from '../../functions/core/catalog/schemas.js';

describe('money', () => {
  it('keeps the decimal the client sent, as a string or a JSON number', () => {
    expect(toMoney('19.99', 'EUR')).toEqual({ minorUnits: 1999, currency: 'EUR' });
    // 0.1 + 0.2 style artefacts: 1.15 * 100 is 114.99999999999999 in floating point.
    expect(toMoney(1.15, 'USD').minorUnits).toBe(115);
    expect(formatAmount(toMoney(1.15, 'USD'))).toBe('1.15');
    expect(formatAmount(toMoney('0.07', 'EUR'))).toBe('0.07');
    expect(formatAmount(toMoney('5', 'EUR'))).toBe('5.00');
    expect(formatAmount(toMoney('1500', 'JPY'))).toBe('1500');
    expect(formatAmount(toMoney('1.234', 'KWD'))).toBe('1.234');
  });

  it('refuses negative amounts, too many decimals and non-numbers, naming the reason', () => {
    expect(amountProblem('-1.00', 'EUR')).toBe('must not be negative');
    expect(amountProblem(-1, 'EUR')).toBe('must not be negative');
    expect(amountProblem('1.999', 'EUR')).toMatch(/more than 2 decimals/);
    expect(amountProblem('1.5', 'JPY')).toMatch(/whole number/);
    expect(amountProblem('1e3', 'EUR')).toMatch(/decimal amount/);
    expect(amountProblem('99999999999999', 'EUR')).toBeTruthy();
    expect(amountProblem('1.50', 'EUR')).toBeNull();
  });

  it('puts the amount problem on price.amount', () => {
    const parsed = gameInput.safeParse({ title: 'T', genre: 'g', price: { amount: '-2', currency: 'EUR' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['price', 'amount']);
  });
});
