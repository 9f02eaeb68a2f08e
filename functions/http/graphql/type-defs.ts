/** The GraphQL schema in SDL: the same views the REST routes answer, read through the same use cases. */
export const TYPE_DEFS = /* GraphQL */ `
"""Any JSON value: free-form maps (activity details, counters, match stats)."""
scalar JSON

"""The caller's own account (as GET /api/me answers)."""
type User {
  id: ID!
  username: String!
  email: String
  emailVerified: Boolean!
  pendingEmail: String
  displayName: String!
  avatarUrl: String
  roles: [String!]!
  status: String!
  createdAt: String!
  updatedAt: String!
}

"""A user as the caller may see them (GET /api/users/{id}): restricted when privacy or a block hides the rest."""
type Profile {
  id: ID!
  username: String!
  restricted: Boolean!
  displayName: String
  avatarUrl: String
  createdAt: String
  followers: Int
  following: Int
  "Only for the owner and admins."
  email: String
  "Only for the owner and admins."
  roles: [String!]
  "Only for the owner and admins."
  status: String
}

type PlayerRef {
  id: ID!
  username: String!
}

type PlayerPage {
  items: [PlayerRef!]!
  cursor: String
}

type OnlineUser {
  userId: ID!
  username: String
  status: String!
  lastSeenAt: String!
}

type OnlineUserPage {
  items: [OnlineUser!]!
  cursor: String
}

type PresenceActivity {
  name: String!
  at: String!
}

type Presence {
  userId: ID!
  status: String!
  lastSeenAt: String
  activity: PresenceActivity
}

type Activity {
  id: ID!
  userId: ID!
  activity: String!
  details: JSON
  timestamp: String!
  receivedAt: String!
}

type ActivityPage {
  items: [Activity!]!
  cursor: String
}

type LastActivity {
  id: ID!
  activity: String!
  timestamp: String!
}

type MatchStats {
  gamesPlayed: Int!
  wins: Int!
  losses: Int!
  draws: Int!
  earnings: JSON!
  stats: JSON!
  updatedAt: String!
}

type PlayerStats {
  userId: ID!
  total: Int!
  counts: JSON!
  lastActivity: LastActivity
  updatedAt: String!
  matches: MatchStats!
}

"""An amount in minor units."""
type Balance {
  currency: String!
  amount: Int!
}

type Wallet {
  userId: ID!
  balances: [Balance!]!
}

type LeaderboardEntry {
  rank: Int!
  userId: ID!
  username: String
  score: Float!
  metadata: JSON
  reachedAt: String!
}

type LeaderboardPage {
  boardId: ID!
  period: String!
  total: Int!
  items: [LeaderboardEntry!]!
  cursor: String
}

"""Every field is nullable: one refused or missing part answers null with its error, the rest still answers."""
type Query {
  "The caller's own account (players)."
  me: User
  "A user: the public profile, or the full record for the owner and admins."
  user(id: ID!): Profile
  "Players by username prefix, case-insensitive."
  players(search: String!, limit: Int, cursor: String): PlayerPage
  "Who is online now (game servers, admins)."
  activeUsers(limit: Int, cursor: String): OnlineUserPage
  "The caller's presence, or another user's where their privacy allows."
  userStatus(id: ID): Presence
  "A user's activity, newest first (the user, game servers, admins)."
  activity(userId: ID!, limit: Int, cursor: String, since: String): ActivityPage
  "A user's activity counters and match stats (the user, game servers, admins)."
  stats(userId: ID!): PlayerStats
  "A player's balances (the owner, game servers, admins)."
  wallet(userId: ID!): Wallet
  "The top of a leaderboard."
  leaderboard(id: ID!, limit: Int, cursor: String, period: String): LeaderboardPage
}

type Mutation {
  "Change a profile: a game server names the user, a player changes their own."
  updateProfile(userId: ID, displayName: String, avatarUrl: String, email: String): User
  "Set the caller's own presence (players): online, away, busy..."
  setStatus(status: String!): Presence
}
`;
