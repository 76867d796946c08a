import { UsageError } from '../../errors.js';
import { canPrompt, promptHidden, readStdin } from '../../prompt.js';

/**
 * The new user's password: from stdin with --password-stdin (one trailing newline dropped, as `echo`
 * and here-strings add one), else asked twice on the terminal without echo. Never from an argument:
 * arguments end up in shell history and in `ps`.
 */
export async function readNewPassword(fromStdin: boolean, command: string): Promise<string> {
  if (fromStdin) return (await readStdin()).replace(/\r?\n$/, '');
  if (!canPrompt()) {
    throw new UsageError('no password: pass --password-stdin, or run in a terminal to be asked', command);
  }
  const password = await promptHidden('Password: ');
  const again = await promptHidden('Repeat password: ');
  if (password !== again) throw new UsageError('the two passwords differ', command);
  return password;
}
