import { readStdin } from '../../prompt.js';

/**
 * The token argument, or stdin for "-" (keeps tokens out of shell history and `ps`). Surrounding
 * whitespace is dropped, and a leading "Bearer " so a copied Authorization header works too.
 */
export async function readTokenArgument(argument: string): Promise<string> {
  const text = argument === '-' ? await readStdin() : argument;
  return text.trim().replace(/^Bearer\s+/i, '');
}
