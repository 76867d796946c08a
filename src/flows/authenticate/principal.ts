/** Who is calling, once their credential has verified. */
export interface Principal {
  userId: string;
  sessionId: string;
  roles: readonly string[];
  /** How they proved it: a JWT access token or a stateful session token. */
  kind: 'jwt' | 'session';
  /** The verified access-token claims (JWT mode). */
  claims: Readonly<Record<string, unknown>> | null;
}
