/** tigraph command line: the root command; each subcommand lives in commands/. */
import { Command } from 'commander';

const program = new Command('tigraph').description('A Microsoft Graph-compatible threat-intelligence API server');
await program.parseAsync(process.argv);
