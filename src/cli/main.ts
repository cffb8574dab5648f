/**
 * tigraph command line: the root command; each subcommand lives in commands/. Only the command being run is loaded
 * (`tigraph import` does not load the server, its TLS and logging libraries): about 0.2 s less start-up for it. Help,
 * an unknown command and no command load them all, so the root help lists every command.
 */
import { Command } from 'commander';

type Register = (program: Command) => void;
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  serve: async () => (await import('./commands/serve.js')).registerServeCommand,
  token: async () => (await import('./commands/token.js')).registerTokenCommand,
  import: async () => (await import('./commands/import.js')).registerImportCommand,
  export: async () => (await import('./commands/export.js')).registerExportCommand,
};

const program = new Command('tigraph').description('A Microsoft Graph-compatible threat-intelligence API server').showHelpAfterError();
const named = process.argv[2];
const load = named !== undefined && Object.hasOwn(COMMANDS, named) ? [COMMANDS[named]!] : Object.values(COMMANDS);
for (const register of await Promise.all(load.map((l) => l()))) register(program);
await program.parseAsync(process.argv);
