import type { Redis } from 'ioredis';

type ScriptArgument = string | number;
type ScriptCommand = (...args: ScriptArgument[]) => Promise<unknown>;

/**
 * A Lua script as a typed function. ioredis's defineCommand sends EVALSHA and falls back to EVAL once
 * per connection (NOSCRIPT), so the script text crosses the wire rarely. A script runs atomically in
 * Redis: nothing else happens between its commands, even with many instances.
 */
export function defineRedisScript<Result>(
  client: Redis,
  name: string,
  lua: string,
  numberOfKeys: number,
): (keys: readonly string[], args: readonly ScriptArgument[]) => Promise<Result> {
  const commands = client as unknown as Record<string, ScriptCommand | undefined>;
  if (commands[name] === undefined) client.defineCommand(name, { lua, numberOfKeys });
  const command = commands[name] as ScriptCommand;
  return async (keys, args) => {
    if (keys.length !== numberOfKeys) throw new TypeError(`${name} takes ${numberOfKeys} key(s).`);
    return (await command.call(client, ...keys, ...args)) as Result;
  };
}
