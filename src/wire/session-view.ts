/** One of the user's live sessions (devices), as GET /auth/sessions lists it. */
export interface SessionView {
  id: string;
  kind: 'jwt' | 'session';
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
  ip: string | null;
  /** True for the session the request was made with. */
  current: boolean;
}
