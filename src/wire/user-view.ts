/** A user as the server shows it to themselves: never the hash, never lockout internals. */
export interface UserView {
  id: string;
  email: string;
  name: string | null;
  roles: string[];
  /** The user proved they receive mail at `email` (a verification or e-mail-change link). */
  email_verified: boolean;
  created_at: string;
}
