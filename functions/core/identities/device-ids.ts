/** Device ids are stored only as an HMAC-SHA256 under a secret key, so a leaked database cannot sign anyone in. */
import { createHmac } from 'node:crypto';
import type { DeviceIdHasher } from './ports.js';

export class HmacDeviceIdHasher implements DeviceIdHasher {
  constructor(private readonly key: () => Promise<string>) {}

  async hash(deviceId: string): Promise<string> {
    return createHmac('sha256', await this.key()).update(deviceId, 'utf8').digest('base64url');
  }
}
