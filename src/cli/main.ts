/** tigraph command line: the root command; each subcommand lives in commands/. */
import { Command } from 'commander';
import { registerServeCommand } from './commands/serve.js';
import { registerTokenCommand } from './commands/token.js';
import { registerImportCommand } from './commands/import.js';
import { registerExportCommand } from './commands/export.js';

const program = new Command('tigraph').description('A Microsoft Graph-compatible threat-intelligence API server').showHelpAfterError();
registerServeCommand(program);
registerTokenCommand(program);
registerImportCommand(program);
registerExportCommand(program);
await program.parseAsync(process.argv);
