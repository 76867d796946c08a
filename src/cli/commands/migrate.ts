import type { Command } from '../command.js';
import { withStores } from '../open-context.js';
import { writeOut } from '../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../parse.js';

const HELP = `Usage: tessera migrate [--config <file>]

Opens the configured database (TESSERA_DATABASE_URL) and applies every pending schema migration, then
prints what it applied, or that the schema is up to date. The server also migrates on start; this
command lets a deployment do it as a separate step, before new instances start.

Options:
${CONFIG_HELP}`;

export const migrateCommand: Command = {
  summary: 'apply pending database migrations',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: 'migrate',
      help: HELP,
      options: CONFIG_OPTION,
      positionals: { min: 0, max: 0 },
    });
    if (parsed === undefined) return 0;
    let applied: readonly string[] | undefined;
    const description = await withStores(parsed.values.config, async (opened) => opened.description, {
      onMigrated: (names) => (applied = names),
      createDatabase: true,
    });
    // A store that keeps no schema (memory:) reports nothing.
    if (applied === undefined) writeOut(`Schema ready: ${description}.`);
    else if (applied.length === 0) writeOut(`Up to date: ${description}.`);
    else {
      for (const name of applied) writeOut(`Applied ${name}`);
      writeOut(
        `Migrated ${description}: ${applied.length} migration${applied.length === 1 ? '' : 's'} applied.`,
      );
    }
    return 0;
  },
};
