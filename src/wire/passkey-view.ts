/** One of the user's passkeys, as GET /auth/passkeys lists it (never the key or the credential id). */
export interface PasskeyView {
  id: string;
  name: string;
  created_at: string;
  /** null until the passkey is first used to sign in. */
  last_used_at: string | null;
  /** How the authenticator is reached (`internal`, `usb`, `hybrid`, …), as the browser reported it. */
  transports: string[];
  /** The passkey may be synced to the user's other devices (WebAuthn BE flag). */
  backup_eligible: boolean;
  /** It is backed up now (BS flag, as of its last use). */
  backed_up: boolean;
}
