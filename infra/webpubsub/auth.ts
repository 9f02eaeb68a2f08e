/**
 * Access-key tokens as Web PubSub checks them: HS256 JWTs signed with the UTF-8 bytes of the
 * access key (not base64-decoded), `exp` required, five minutes of clock skew, and an `aud` that
 * names the URL the token is for (REST: the request URL; clients: the client endpoint).
 */
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';

const SKEW_SECONDS = 300;

/** The audience forms the service accepts: with or without the query, raw or decoded, any case. */
function audienceForms(url: string): Set<string> {
  const forms = new Set<string>();
  const withoutQuery = url.split('?')[0] ?? url;
  for (const form of [url, withoutQuery]) {
    forms.add(form.toLowerCase());
    try {
      forms.add(decodeURIComponent(form).toLowerCase());
    } catch {
      // a malformed escape only rules out the decoded form
    }
  }
  return forms;
}

function audienceMatches(aud: JWTPayload['aud'], url: string): boolean {
  const wanted = audienceForms(url);
  const given = Array.isArray(aud) ? aud : aud === undefined ? [] : [aud];
  return given.some((a) => [...audienceForms(a)].some((form) => wanted.has(form)));
}

/** The token's claims when it is valid for `url`, else null. */
export async function verifyAccessToken(token: string, accessKey: string, url: string): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(accessKey), {
      algorithms: ['HS256'],
      clockTolerance: SKEW_SECONDS,
      requiredClaims: ['exp'],
    });
    return audienceMatches(payload.aud, url) ? payload : null;
  } catch {
    return null;
  }
}

/** A client token as `getClientAccessToken` mints it locally (used by `:generateToken`). */
export function signClientToken(
  accessKey: string,
  audience: string,
  claims: { userId?: string; roles?: string[]; groups?: string[]; minutesToExpire?: number },
): Promise<string> {
  const payload: JWTPayload = {};
  if (claims.roles?.length) payload['role'] = claims.roles;
  if (claims.groups?.length) payload['webpubsub.group'] = claims.groups;
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(`${claims.minutesToExpire ?? 60}m`)
    .setAudience(audience);
  if (claims.userId) jwt.setSubject(claims.userId);
  return jwt.sign(new TextEncoder().encode(accessKey));
}
