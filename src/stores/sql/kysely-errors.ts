/** Kysely's own error for a query sent after `destroy()`: the database was closed under a running server. */
export function isKyselyDestroyed(error: unknown): boolean {
  return error instanceof Error && error.message === 'driver has already been destroyed';
}
