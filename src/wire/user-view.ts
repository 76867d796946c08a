/** A user as the server shows it to themselves: never the hash, never lockout internals. */
export interface UserView {
  id: string;
  email: string;
  name: string | null;
  roles: string[];
  created_at: string;
}
