/**
 * `tigraph token`: mints a development access token with the data directory's signing key (creating the key if it
 * does not exist yet, so it works before the first `serve`) and prints only the token, so `TOKEN=$(tigraph token)`
 * works. Servers started with `--in-memory` use an ephemeral key this command cannot reach; servers started with
 * `--auth oidc` accept only their issuers' tokens, and `--auth oidc` (or TIGRAPH_AUTH=oidc) here says so and exits 2.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { decodeJwt } from 'jose';
import { mintToken, type MintTokenOptions } from '../../auth/mint-token.js';
import { READ, WRITE } from '../../auth/require-permission.js';
import { loadOrCreateSigningKey } from '../../auth/signing-key.js';
import { usageError } from '../usage-error.js';

interface TokenCommandOptions {
  dataDir?: string;
  scope?: string[];
  role?: string[];
  write?: boolean;
  expiresIn: number;
  subject?: string;
  tenant?: string;
  audience?: string;
  json?: boolean;
  auth: string;
}

const positiveInteger = (value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('Expected a positive whole number of seconds.');
  }
  return Number(value);
};

/** Splits `--scope "a b" c` and `--scope a,b` alike into ['a', 'b', 'c']. */
const words = (values: string[] | undefined): string[] | undefined =>
  values === undefined ? undefined : values.flatMap((v) => v.split(/[\s,]+/)).filter((v) => v !== '');

const withPermission = (list: string[], permission: string): string[] => (list.includes(permission) ? list : [...list, permission]);

export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .description(
      'Print a development access token signed with the data directory\'s key (created if absent). ' +
        `Default: an app token with roles [${READ}], valid 24 h. Tokens do not work against --in-memory servers.`,
    )
    .option('--data-dir <dir>', 'data directory holding signing-key.json (default: $TIGRAPH_DATA_DIR or ./data)')
    .option('--scope <scopes...>', 'make a delegated (user) token with these scopes in "scp" and no roles')
    .option('--role <roles...>', `application permissions for "roles" (default: ${READ})`)
    .option('--write', `also grant ${WRITE}`)
    .option('--expires-in <seconds>', 'lifetime in seconds (a server accepts at most its --max-token-lifetime, default 28 h)', positiveInteger, 3600 * 24)
    .option('--subject <id>', 'oid/sub claim')
    .option('--tenant <id>', 'tenant id (tid claim and issuer)')
    .option('--audience <aud>', 'aud claim (default https://graph.microsoft.com)')
    .option('--json', 'print {"token", "claims"} as JSON instead of the bare token')
    .addOption(new Option('--auth <mode>', "the server's --auth mode: development tokens exist only for 'dev'").choices(['dev', 'oidc']).env('TIGRAPH_AUTH').default('dev'))
    .action(async (opts: TokenCommandOptions) => {
      if (opts.auth === 'oidc') {
        usageError(
          'tigraph token mints development tokens, which a server in --auth oidc mode does not accept. ' +
            'Get a token from your identity provider instead (for Entra ID: az account get-access-token --resource <your API\'s app id URI>); ' +
            'see "Running behind Entra ID or another OIDC provider" in the README.',
        );
      }
      const dataDir = opts.dataDir ?? process.env.TIGRAPH_DATA_DIR ?? './data';
      let key: Awaited<ReturnType<typeof loadOrCreateSigningKey>>;
      try {
        key = await loadOrCreateSigningKey(dataDir);
      } catch (e) {
        // An unusable data directory or a damaged key file: one line, no stack.
        process.stderr.write(`tigraph token: cannot read or create the signing key in ${dataDir}: ${(e as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      let scopes = words(opts.scope);
      let roles = words(opts.role) ?? (scopes === undefined ? [READ] : undefined);
      if (opts.write) {
        if (scopes !== undefined) scopes = withPermission(scopes, WRITE);
        else roles = withPermission(roles ?? [], WRITE);
      }
      const mintOptions: MintTokenOptions = { expiresInSeconds: opts.expiresIn };
      if (scopes !== undefined) mintOptions.scopes = scopes;
      if (roles !== undefined) mintOptions.roles = roles;
      if (opts.subject !== undefined) mintOptions.subject = opts.subject;
      if (opts.tenant !== undefined) mintOptions.tenantId = opts.tenant;
      if (opts.audience !== undefined) mintOptions.audience = opts.audience;
      const token = await mintToken(key, mintOptions);
      process.stdout.write(opts.json ? `${JSON.stringify({ token, claims: decodeJwt(token) }, null, 2)}\n` : `${token}\n`);
    });
}
