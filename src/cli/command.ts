import { UsageError } from './errors.js';

/** A top-level command or a subcommand: parses its own argv, calls src/, returns the exit code. */
export interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

/**
 * A command made of subcommands (`tessera users add …`): dispatches on the first argument and
 * answers `--help` with the list. Without a subcommand it is a usage error (exit 2).
 */
export function commandGroup(name: string, summary: string, subcommands: Record<string, Command>): Command {
  const help = () => {
    const width = Math.max(...Object.keys(subcommands).map((key) => key.length)) + 2;
    const lines = Object.entries(subcommands).map(([key, sub]) => `  ${key.padEnd(width)} ${sub.summary}`);
    return [
      `Usage: tessera ${name} <subcommand> [options]`,
      '',
      `${summary.charAt(0).toUpperCase()}${summary.slice(1)}.`,
      '',
      'Subcommands:',
      ...lines,
      '',
      `Run "tessera ${name} <subcommand> --help" for its options.`,
    ].join('\n');
  };
  return {
    summary,
    async run(argv) {
      const [subcommand, ...rest] = argv;
      if (subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
        process.stdout.write(`${help()}\n`);
        return 0;
      }
      if (subcommand === undefined) throw new UsageError('missing subcommand', name);
      const command = Object.hasOwn(subcommands, subcommand) ? subcommands[subcommand] : undefined;
      if (command === undefined) throw new UsageError(`unknown subcommand "${subcommand}"`, name);
      return command.run(rest);
    },
  };
}
