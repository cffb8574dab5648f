#!/usr/bin/env node
// `npm run conformance`: runs the compiled conformance suites (dist/test/conformance/**/*.test.js) with Node's test
// runner, collects every check, and writes conformance.md at the repository root: each Graph behaviour checked,
// per client and API version, pass/fail, and the client package versions found in node_modules.
//
// Checks are the subtests named `[client/version] category: description` (see test/conformance/clients/check.ts);
// every other test in those files is listed as a server-side check. Exit code 1 when anything failed (the report
// is written either way). Options: --out <file> (default conformance.md), --quiet.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { run } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const out = resolve(root, outArg >= 0 ? args[outArg + 1] : 'conformance.md');
const quiet = args.includes('--quiet');

const dir = join(root, 'dist/test/conformance');
const files = [];
const walk = (d) => {
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(p);
  }
};
try {
  walk(dir);
} catch {
  /* reported below */
}
if (files.length === 0) {
  console.error(`no compiled conformance tests under ${relative(root, dir)}; run \`npm run build\` first`);
  process.exit(1);
}

const CHECK = /^\[([^/\]]+)\/([^\]]+)\] ([^:]+): (.+)$/;
const checks = [];
const serverSide = [];
const crashes = [];
const childSeen = [];

const stream = run({ files, concurrency: 2, timeout: 300_000 });
for await (const event of stream) {
  if (event.type === 'test:diagnostic' && !quiet) continue;
  if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
  const { name, nesting = 0, file, details = {} } = event.data;
  const leaf = !childSeen[nesting + 1];
  childSeen[nesting + 1] = false;
  childSeen[nesting] = true;
  const ok = event.type === 'test:pass' && !details.error;
  const error = details.error ? String(details.error.cause?.message ?? details.error.message ?? details.error).split('\n').slice(0, 6).join('\n') : undefined;
  if (!quiet) process.stdout.write(`${'  '.repeat(nesting)}${ok ? '✔' : '✖'} ${name}${error && leaf ? `\n${'  '.repeat(nesting + 2)}${error.replace(/\n/g, `\n${'  '.repeat(nesting + 2)}`)}` : ''}\n`);
  const m = CHECK.exec(name);
  const fileName = file ? relative(root, file) : '';
  if (m) checks.push({ client: m[1], version: m[2], category: m[3], description: m[4], ok, error });
  else if (leaf && details.type !== 'suite') serverSide.push({ file: fileName, name, ok, error });
  else if (!ok && !leaf && details.error?.failureType !== 'subtestsFailed') crashes.push({ file: fileName, name, error });
}

// ---- versions ------------------------------------------------------------------------------------------------
const pkgVersion = (name) => {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
};
const declared = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies ?? {};
const CLIENT_PACKAGES = [
  ['@microsoft/microsoft-graph-client', 'graph-client: Client.init with baseUrl/customHosts, PageIterator, GraphError, RetryHandler'],
  ['@microsoft/kiota-bundle', 'kiota: DefaultRequestAdapter (FetchRequestAdapter + JSON/text/form parse nodes)'],
  ['@microsoft/kiota-abstractions', 'kiota: RequestInformation, URI templates, AllowedHostsValidator'],
  ['@microsoft/kiota-http-fetchlibrary', 'kiota: FetchRequestAdapter, middleware (RetryHandler, ParametersNameDecodingHandler, …)'],
  ['@microsoft/kiota-serialization-json', 'kiota: JSON parse node'],
  ['@microsoft/kiota-serialization-text', 'kiota: text parse node ($count)'],
  ['@microsoft/kiota-authentication-azure', 'kiota: AzureIdentityAuthenticationProvider (fake credential, allowedHosts)'],
  ['@microsoft/msgraph-beta-sdk', 'kiota: models, create…FromDiscriminatorValue, ODataError, GraphBetaRequestAdapter'],
  ['@microsoft/msgraph-sdk-core', 'kiota: PageIterator, Graph middleware'],
];

// ---- report --------------------------------------------------------------------------------------------------
const CLIENT_NAMES = {
  'graph-client': '@microsoft/microsoft-graph-client',
  kiota: 'Kiota (kiota-bundle + msgraph-beta-sdk models)',
  fetch: 'Node fetch (undici), trusting only the dev CA',
};
const CATEGORY_ORDER = ['envelope', '@odata.type', 'typed models', 'query options', 'paging', 'counts', 'errors', 'throttling', 'enums', 'tls'];
const byOrder = (list, order) => [...new Set(list)].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
const clients = byOrder(checks.map((c) => c.client), Object.keys(CLIENT_NAMES));
const categories = byOrder(checks.map((c) => c.category), CATEGORY_ORDER);
const versionsOf = (client) => byOrder(checks.filter((c) => c.client === client).map((c) => c.version), ['v1.0', 'beta', '-']);
const columns = clients.flatMap((client) => versionsOf(client).map((version) => ({ client, version })));
const mark = (list) => (list.length === 0 ? '' : list.every((c) => c.ok) ? `✅ ${list.length}/${list.length}` : `❌ ${list.filter((c) => c.ok).length}/${list.length}`);
const cell = (s) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const colName = ({ client, version }) => `${client}${version === '-' ? '' : ` ${version}`}`;

const failed = checks.filter((c) => !c.ok).length + serverSide.filter((c) => !c.ok).length + crashes.length;
const total = checks.length + serverSide.length;
const lines = [];
lines.push('# tigraph conformance report', '');
lines.push(
  'Generated by `npm run conformance` (scripts/conformance.js) from the suites in `test/conformance/`, which also run in `npm test`.',
  'Each client runs unchanged in a child process that trusts tigraph only through `NODE_EXTRA_CA_CERTS=<dataDir>/tls/ca.crt`',
  '(the development CA tigraph generated) and talks to an in-memory tigraph with the demo dataset over HTTPS on',
  '`https://localhost:<port>`; nothing leaves the machine. Checks marked with a server trace are also verified on the server',
  "side: e.g. for retries the server must have seen exactly the expected attempts, with the SDK's `Retry-Attempt` header and",
  'a delay of at least the `Retry-After` it sent (the fault is asked for with `x-tigraph-inject-fault: 429; attempts=1`).',
  '',
  "The **typed models** checks read one response of every entity type of `threatIntelligence` (article, articleIndicator,",
  'vulnerability, vulnerabilityComponent, whoisRecord, whoisHistoryRecord, hostPair, hostPort, hostReputation, subdomain,',
  'hostSslCertificate, sslCertificate, passiveDnsRecord, hostComponent, hostCookie, hostTracker, hostname, ipAddress) through',
  "Kiota into the msgraph-beta-sdk model, and compare it member by member, at every depth, with the raw JSON of the same",
  "request: every member on its typed property with the JSON's exact value (enum members, `Date`s whose ISO text is the",
  "JSON's), nothing in `additionalData` but `@odata.context`, and the members the server sent pinned per type.",
  '',
  `**${failed === 0 ? 'All checks passed' : `${failed} FAILED`}**: ${checks.filter((c) => c.ok).length}/${checks.length} client checks, ${serverSide.filter((c) => c.ok).length}/${serverSide.length} server-side checks (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${process.platform}).`,
  '',
);
lines.push('## Client versions', '', '| package | installed | declared (devDependencies) | used for |', '|---|---|---|---|');
for (const [name, role] of CLIENT_PACKAGES) lines.push(`| \`${name}\` | ${pkgVersion(name)} | ${declared[name] ?? '(transitive)'} | ${cell(role)} |`);
lines.push(`| Node built-in \`fetch\` (undici) | ${process.versions.undici ?? '?'} | — | fetch: TLS chain, HTTP/HTTPS equivalence |`, '');

lines.push('## Behaviour × client × version', '', `| behaviour | ${columns.map(colName).join(' | ')} |`, `|---|${columns.map(() => '---').join('|')}|`);
for (const category of categories) {
  lines.push(`| ${cell(category)} | ${columns.map((col) => mark(checks.filter((c) => c.category === category && c.client === col.client && c.version === col.version)) || '—').join(' | ')} |`);
}
lines.push('', 'Cells count checks (passed/total); a dash means the client has no check in that category for that version.', '');

for (const client of clients) {
  const versions = versionsOf(client);
  const mine = checks.filter((c) => c.client === client);
  lines.push(`## ${CLIENT_NAMES[client] ?? client}`, '', `| behaviour | check | ${versions.map((v) => (v === '-' ? 'result' : v)).join(' | ')} |`, `|---|---|${versions.map(() => '---').join('|')}|`);
  const rows = [];
  for (const c of mine) if (!rows.some((r) => r.category === c.category && r.description === c.description)) rows.push(c);
  rows.sort((a, b) => categories.indexOf(a.category) - categories.indexOf(b.category));
  for (const r of rows) {
    const cells = versions.map((v) => {
      const hit = mine.find((c) => c.category === r.category && c.description === r.description && c.version === v);
      return hit ? (hit.ok ? '✅ pass' : '❌ FAIL') : '—';
    });
    lines.push(`| ${cell(r.category)} | ${cell(r.description)} | ${cells.join(' | ')} |`);
  }
  lines.push('');
}

lines.push('## Server-side checks (no client)', '', '| file | check | result |', '|---|---|---|');
for (const s of serverSide) lines.push(`| ${s.file.replace(/^dist\//, '').replace(/\.js$/, '.ts')} | ${cell(s.name)} | ${s.ok ? '✅ pass' : '❌ FAIL'} |`);
lines.push('');

const failures = [...checks.filter((c) => !c.ok).map((c) => ({ name: `[${c.client}/${c.version}] ${c.category}: ${c.description}`, error: c.error })), ...serverSide.filter((s) => !s.ok), ...crashes];
if (failures.length > 0) {
  lines.push('## Failures', '');
  for (const f of failures) lines.push(`- **${cell(f.name)}**`, '', '  ```', ...String(f.error ?? '').split('\n').map((l) => `  ${l}`), '  ```', '');
}

lines.push(
  '## What the checks do not cover',
  '',
  '- Only the JavaScript/TypeScript clients above; the .NET, Java, Python, Go and PowerShell SDKs are not exercised.',
  '- The fluent Kiota request builders for `/security` (`@microsoft/msgraph-beta-sdk-security`) are not published on npm; the Kiota checks build each `RequestInformation` by hand from the generated URL templates, so they exercise the adapter, middleware, URI-template expansion and models, not the builders.',
  '- JSON batching (`$batch`), delta queries and write operations are not checked.',
  "- The typed-model checks read each type from one record of the demo seed; navigations are read as the references tigraph inlines (`host`, `artifact`, `sslCertificate`, …), not `$expand`ed: tigraph expands only the navigations its model marks expandable (an indicator's `artifact`), so collection navigations such as `articles/{id}/indicators` are read at their own URLs.",
  "- With `betaEnumSpelling: 'documented'`, Kiota's typed `source` on beta is `undefined` (the SDK enum only knows the CSDL names); that is checked as expected behaviour, and is why `csdl` is the default.",
  '- Throttling and 503s only happen when asked for (`--inject`, `x-tigraph-inject-fault`); live Graph throttles on its own schedule and may send `Retry-After` values tigraph never does.',
  '',
);

writeFileSync(out, `${lines.join('\n')}`);
const passed = checks.filter((c) => c.ok).length + serverSide.filter((c) => c.ok).length;
console.log(`\n${relative(root, out)}: ${passed}/${total} checks passed${failed ? `, ${failed} failed` : ''}`);
process.exitCode = failed === 0 ? 0 : 1;
