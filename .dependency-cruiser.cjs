/**
 * tigraph's layering, checked by dependency-cruiser (`npx depcruise src`, and test/layering/ in `npm test`).
 * The folders are pipeline stages and domains (README: layout); these rules say who may import whom:
 *
 * - no-circular: no import cycles anywhere in src.
 * - model-standalone / errors-standalone: src/model and src/errors import nothing else of the project.
 * - odata-only-model-errors: src/odata imports only src/model, src/errors and its own stages.
 * - service-no-http / service-no-driver: src/service is transport- and database-free.
 * - only-http-imports-node-http: node:http(s)/http2 only in src/http and src/server (the composition root
 *   creates the listening server: start-server.ts uses node:http's createServer, start-https.ts node:https).
 * - only-storage-imports-drivers: better-sqlite3, pg and pg-copy-streams only in src/storage.
 * - no-unresolvable: every relative import resolves (an unresolved one would escape every rule above).
 *
 * Type-only imports count (tsPreCompilationDeps): a layer that names another's types depends on it.
 */
const NODE_HTTP = '^(node:)?(http|https|http2)$';
const DRIVERS = '(^|node_modules/)(@types/)?(better-sqlite3|pg|pg-copy-streams)(/|$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles tie layers together.', from: {}, to: { circular: true } },
    {
      name: 'model-standalone',
      severity: 'error',
      comment: 'src/model is the single source of truth and depends on no other part of the project.',
      from: { path: '^src/model/' },
      to: { path: '^src/', pathNot: '^src/model/' },
    },
    {
      name: 'errors-standalone',
      severity: 'error',
      comment: 'src/errors (the error catalog) depends on no other part of the project.',
      from: { path: '^src/errors/' },
      to: { path: '^src/', pathNot: '^src/errors/' },
    },
    {
      name: 'odata-only-model-errors',
      severity: 'error',
      comment: 'The OData pipeline (parse, bind, limits, plan, serialize) imports only the model, the errors and its own stages.',
      from: { path: '^src/odata/' },
      to: { path: '^src/', pathNot: '^src/(odata|model|errors)/' },
    },
    {
      name: 'service-no-http',
      severity: 'error',
      comment: 'src/service is transport-free: the HTTP listener (src/http) adapts it to node:http.',
      from: { path: '^src/service/' },
      to: { dependencyTypes: ['core'], path: NODE_HTTP },
    },
    {
      name: 'service-no-driver',
      severity: 'error',
      comment: 'src/service reaches the database only through the Store interface (src/storage).',
      from: { path: '^src/service/' },
      to: { path: DRIVERS },
    },
    {
      name: 'only-http-imports-node-http',
      severity: 'error',
      comment: 'Only the HTTP layer (src/http) and the composition root (src/server) import node:http/https/http2.',
      from: { pathNot: '^src/(http|server)/' },
      to: { dependencyTypes: ['core'], path: NODE_HTTP },
    },
    {
      name: 'only-storage-imports-drivers',
      severity: 'error',
      comment: 'Only src/storage imports the database drivers.',
      from: { pathNot: '^src/storage/' },
      to: { path: DRIVERS },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'A relative import that does not resolve would escape every rule above.',
      from: {},
      to: { couldNotResolve: true, path: '^\\.' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules stays in the graph (not followed), or imports of the drivers would vanish before the rules see them.
    exclude: { path: '(^|/)dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
