/**
 * JWS compact serialisation is three unpadded base64url segments (RFC 7515 §3.1, §2). Decoders
 * (jose, Buffer) are lenient: they skip `=`, accept `+` `/`, and ignore unused trailing bits, so
 * one token would have many spellings that all verify. A deny list or a log keyed by the token's
 * text must see exactly one, so anything but the canonical spelling is refused.
 */
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** True when `segment` is the one unpadded base64url spelling of the bytes it decodes to. */
export function isCanonicalBase64url(segment: string): boolean {
  // A length of 4n+1 cannot encode whole bytes; re-encoding catches non-zero trailing bits.
  return BASE64URL.test(segment) && segment.length % 4 !== 1 && Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

/** A compact JWS spelled canonically: exactly three non-empty canonical segments. */
export function isCanonicalCompactJws(token: string): boolean {
  const segments = token.split('.');
  return segments.length === 3 && segments.every(isCanonicalBase64url);
}
