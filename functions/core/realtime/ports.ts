/** What realtime needs from a pub/sub service (Web PubSub in Azure, its stand-in locally). */

export interface ClientAccess {
  /** The WebSocket URL with the access token in its query. */
  url: string;
  accessToken: string;
}

export interface RealtimeGateway {
  /** A client token bound to the user id, valid for `minutes`. */
  clientAccess(userId: string, minutes: number): Promise<ClientAccess>;
  join(connectionId: string, group: string): Promise<void>;
  leave(connectionId: string, group: string): Promise<void>;
  /** Sends a JSON message to every connection in the group. */
  publish(group: string, message: object): Promise<void>;
  /** Closes every connection of the user (a suspended or banned account). */
  closeUser(userId: string, reason: string): Promise<void>;
}

/** Who is looking, as far as visibility rules need to know. */
export interface Viewer {
  /** A player's user id, or `client:<id>` for a game server. */
  userId: string;
}

/**
 * Whose presence a viewer may follow: their own, anyone's for game servers and admins, and what
 * the social graph allows (core/social/presence-visibility.ts) without touching the protocol.
 */
export interface PresenceVisibility {
  maySee(viewer: Viewer, userId: string): Promise<boolean>;
}

/** What the upstream call carried that proves the hub made it. */
export interface UpstreamProof {
  connectionId: string | null;
  /** ce-signature: "sha256=<hex>[,sha256=<hex>]" (HMAC of the connection id under an access key). */
  signature: string | null;
  /** Authorization header: a managed-identity bearer token when the hub is set up for it. */
  authorization: string | null;
}

/** Checks that an upstream call comes from our hub (see adapters/webpubsub/upstream-auth.ts). */
export interface UpstreamAuthenticator {
  verify(proof: UpstreamProof): Promise<boolean>;
  /** Abuse protection: whether the hub of this origin (WebHook-Request-Origin) may call us. */
  allowsOrigin(origin: string): boolean;
}
