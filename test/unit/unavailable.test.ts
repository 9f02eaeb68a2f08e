import { TimeoutError as CosmosTimeoutError } from '@azure/cosmos';
import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError as RedisTimeoutError,
} from 'redis';
import { describe, expect, it } from 'vitest';
import { isDependencyUnavailable } from '../../functions/adapters/unavailable.js';

describe('isDependencyUnavailable', () => {
  it('knows the SDKs’ outage errors without importing the SDKs', () => {
    for (const error of [
      new ClientOfflineError(),
      new ClientClosedError(),
      new ConnectionTimeoutError(),
      new SocketClosedUnexpectedlyError(),
      new SocketTimeoutError(1_000),
      new RedisTimeoutError('command timed out'),
      new CosmosTimeoutError(),
    ]) {
      expect(isDependencyUnavailable(error), error.constructor.name).toBe(true);
    }
  });

  it('counts subclasses, as instanceof did', () => {
    class CommandTimeoutDuringMaintenance extends RedisTimeoutError {}
    expect(isDependencyUnavailable(new CommandTimeoutDuringMaintenance('during maintenance'))).toBe(true);
  });

  it('counts network codes and Cosmos statuses, and nothing else', () => {
    expect(isDependencyUnavailable(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDependencyUnavailable(Object.assign(new Error('throttled'), { code: 429 }))).toBe(true);
    expect(isDependencyUnavailable(Object.assign(new Error('conflict'), { code: 409 }))).toBe(false);
    expect(isDependencyUnavailable(new Error('TimeoutError'))).toBe(false);
    expect(isDependencyUnavailable(new TypeError('bug'))).toBe(false);
    // An abort of our own (AbortSignal.timeout) is named TimeoutError but is no SDK's class.
    expect(isDependencyUnavailable(new DOMException('aborted', 'TimeoutError'))).toBe(false);
    expect(isDependencyUnavailable(null)).toBe(false);
    expect(isDependencyUnavailable('ECONNREFUSED')).toBe(false);
  });
});
