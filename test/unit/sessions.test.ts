import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashRefreshToken, newRefreshToken, openSuccessor, parseRefreshToken, sealSuccessor, tokenMatchesHash } from '../../functions/core/sessions/session.js';

describe('refresh tokens', () => {
  it('carry their user and session ids and 256 random bits', () => {
    const userId = randomUUID();
    const sessionId = randomUUID();
    const a = newRefreshToken(userId, sessionId);
    const b = newRefreshToken(userId, sessionId);
    expect(a).not.toBe(b);
    expect(parseRefreshToken(a)).toEqual({ userId, sessionId });
    expect(Buffer.from(a.slice(3), 'base64url')).toHaveLength(64);
  });

  it('reject anything that is not one of ours', () => {
    for (const token of ['', 'rt_', 'rt_abc', 'xx_' + 'A'.repeat(86), 'rt_' + 'A'.repeat(500)]) {
      expect(parseRefreshToken(token)).toBeNull();
    }
  });

  it('match only their own hash', () => {
    const token = newRefreshToken(randomUUID(), randomUUID());
    expect(tokenMatchesHash(token, hashRefreshToken(token))).toBe(true);
    expect(tokenMatchesHash(token, hashRefreshToken(token + 'x'))).toBe(false);
    expect(tokenMatchesHash(token, null)).toBe(false);
  });

  it('seal a successor that only the previous token opens', () => {
    const previous = newRefreshToken(randomUUID(), randomUUID());
    const successor = newRefreshToken(randomUUID(), randomUUID());
    const sealed = sealSuccessor(previous, successor);
    expect(sealed).not.toContain(successor.slice(3, 20));
    expect(openSuccessor(previous, sealed)).toBe(successor);
    expect(openSuccessor(newRefreshToken(randomUUID(), randomUUID()), sealed)).toBeNull();
    expect(openSuccessor(previous, sealed.slice(0, -2) + 'AA')).toBeNull();
  });
});
