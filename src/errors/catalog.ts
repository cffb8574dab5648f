/**
 * Every error tigraph answers with, one factory per situation. Codes copy what live Microsoft Graph returns in
 * the same situation (see ../shared/spec/graph-protocol.md §5.2); messages say exactly what is wrong and where.
 */
import { ODataError } from './odata-error.js';

/**
 * RFC 6750 §3 challenge of a refused bearer token: `error="invalid_token"` and the failed check in
 * `error_description` (a quoted-string: a double quote becomes a single one; backslashes and characters outside
 * printable ASCII become `?`).
 */
const invalidTokenChallenge = (description: string) => ({
  headers: {
    'WWW-Authenticate': `Bearer realm="tigraph", error="invalid_token", error_description="${description.replace(/"/g, "'").replace(/[^\x20-\x7e]|\\/g, '?')}"`,
  },
});

const at = (position: number | undefined): string => (position === undefined ? '' : ` at position ${position}`);

export const errors = {
  // 400: query syntax and binding
  invalidFilter: (detail: string, position?: number) =>
    new ODataError(400, 'BadRequest', `Invalid filter clause: ${detail}${at(position)}.`),
  invalidQuery: (option: string, detail: string, position?: number) =>
    new ODataError(400, 'BadRequest', `Invalid ${option} clause: ${detail}${at(position)}.`),
  unknownProperty: (option: string, property: string, typeName: string, position?: number) =>
    new ODataError(400, 'BadRequest', `Invalid ${option} clause: could not find a property named '${property}' on type '${typeName}'${at(position)}.`),
  selectPropertyNotFound: (property: string, typeName: string) =>
    new ODataError(400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${property}' on type '${typeName}'.`),
  expandNotSupported: (property: string) =>
    new ODataError(400, 'ExpandNotSupported', `Expand is not allowed for property '${property}' according to the entity schema.`),
  typeMismatch: (option: string, detail: string, position?: number) =>
    new ODataError(400, 'BadRequest', `Invalid ${option} clause: ${detail}${at(position)}.`),
  badLiteral: (option: string, literal: string, expected: string, position?: number) =>
    new ODataError(400, 'BadRequest', `Invalid ${option} clause: '${literal}' is not a valid ${expected} literal${at(position)}.`),
  unknownQueryOption: (name: string) =>
    new ODataError(400, 'BadRequest', `Query option '${name}' is not supported. Supported options: $select, $expand, $filter, $orderby, $top, $skip, $count, $search, $skiptoken, $format.`),
  duplicateQueryOption: (name: string) => new ODataError(400, 'BadRequest', `Query option '${name}' was specified more than once.`),
  queryOptionNotAllowed: (name: string, where: string) =>
    new ODataError(400, 'BadRequest', `Query option '${name}' is not allowed on ${where}.`),
  capabilityRestricted: (what: string, where: string) =>
    new ODataError(400, 'BadRequest', `${what} is not supported on ${where} (strict mode enforces the Graph CSDL capability annotations).`),
  limitExceeded: (what: string, limit: number, actual: number) =>
    new ODataError(400, 'BadRequest', `Limit exceeded: ${what} is ${actual}, the maximum is ${limit}.`),
  invalidSkipToken: (reason: string) => new ODataError(400, 'BadRequest', `Invalid $skiptoken: ${reason}.`),
  unsupportedFormat: (format: string) => new ODataError(400, 'BadRequest', `Unsupported $format '${format}'; only json is supported.`),
  unknownSegment: (segment: string) => new ODataError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  invalidKey: (detail: string) => new ODataError(400, 'BadRequest', `Invalid key: ${detail}.`),
  enumMemberBeyondSentinel: (member: string, enumName: string) =>
    new ODataError(400, 'BadRequest', `Enum member '${member}' of '${enumName}' is only available with the header 'Prefer: include-unknown-enum-members'.`),
  unstorableText: (option: string, what: string, character: string, position?: number) =>
    new ODataError(400, 'BadRequest', `Invalid ${option} clause: ${what} contains ${character}, which cannot be stored or matched${at(position)}.`),
  malformedUrl: (detail: string) => new ODataError(400, 'BadRequest', `Malformed request URL: ${detail}.`),

  // 401 / 403
  tokenMissing: () => new ODataError(401, 'InvalidAuthenticationToken', 'Access token is empty.', { headers: { 'WWW-Authenticate': 'Bearer realm="tigraph"' } }),
  tokenMalformed: () =>
    new ODataError(401, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217', invalidTokenChallenge('The token is not a compact JWS (three base64url parts with a JSON header and payload).')),
  tokenExpired: () =>
    new ODataError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', invalidTokenChallenge('The token is expired.')),
  tokenInvalid: (detail: string) =>
    new ODataError(401, 'InvalidAuthenticationToken', `Access token validation failure. ${detail}`, invalidTokenChallenge(detail)),
  // issue 15: the explorer's one-click sign-in (dev mode, loopback, same origin)
  localSignInRefused: (reason: string) => new ODataError(403, 'Forbidden', `Local sign-in refused: ${reason}.`),
  insufficientPermission: (required: string) =>
    new ODataError(403, 'Forbidden', `Auth token does not contain valid permissions or user does not have valid roles. Required permission: ${required}.`),

  // 404 / 405 / 406 / 413 / 414 / 431
  resourceNotFound: (what: string, key: string) =>
    new ODataError(404, 'ResourceNotFound', `Resource '${key}' of type '${what}' does not exist.`),
  pathNotFound: (path: string) => new ODataError(404, 'ResourceNotFound', `Requested API is not supported: '${path}'. Please check the path.`),
  methodNotAllowed: (method: string, allowed: readonly string[]) =>
    new ODataError(405, 'Request_BadRequest', `Specified HTTP method '${method}' is not allowed for the request target.`, { headers: { Allow: allowed.join(', ') } }),
  notAcceptable: (accept: string) => new ODataError(406, 'NotAcceptable', `None of the media types in Accept '${accept}' can be produced.`),
  uriTooLong: (limit: number) => new ODataError(414, 'RequestUriTooLong', `The request URL exceeds ${limit} characters.`),
  headersTooLarge: () => new ODataError(431, 'RequestHeaderFieldsTooLarge', 'The request headers are too large.'),
  badRequestSyntax: () => new ODataError(400, 'BadRequest', 'The HTTP request could not be parsed.'),
  // issue 10 (HTTP edges): node:http's request/headers timeout, and a second Host header
  requestTimeout: () => new ODataError(408, 'RequestTimeout', 'The request was not received in time.'),
  duplicateHost: () => new ODataError(400, 'BadRequest', "Invalid header 'Host': sent more than once."),

  // 400: request bodies (writes, imports) and unsupported addressing
  invalidBody: (detail: string) => new ODataError(400, 'BadRequest', `Invalid request body: ${detail}.`),
  invalidPropertyValue: (property: string, typeName: string, detail: string) =>
    new ODataError(400, 'BadRequest', `Invalid value for property '${property}' of type '${typeName}': ${detail}.`, { target: property }),
  conflict: (what: string, key: string) => new ODataError(409, 'Conflict', `A '${what}' with id '${key}' already exists.`),
  unsupportedMediaType: (type: string) => new ODataError(415, 'UnsupportedMediaType', `Content-Type '${type}' is not supported; send application/json.`),
  unsupportedCharset: (charset: string) =>
    new ODataError(415, 'UnsupportedMediaType', `Content-Type charset '${charset}' is not supported; send application/json in UTF-8.`),
  payloadTooLarge: (limit: number) => new ODataError(413, 'RequestEntityTooLarge', `The request body exceeds ${limit} bytes.`),
  invalidActionParameter: (name: string, expected: string) =>
    new ODataError(400, 'BadRequest', `Invalid value for query option '${name}': expected ${expected}.`, { target: name }),
  unsupportedImportMediaType: (type: string) =>
    new ODataError(415, 'UnsupportedMediaType', `Content-Type '${type}' is not supported; send application/json (STIX 2.1, MISP, CVE JSON 5, RDAP), text/csv, text/plain, application/x-ndjson (passive DNS) or a certificate (application/x-pem-file, application/pkix-cert).`),
  importQueueFull: (capacity: number, retryAfterSeconds: number) =>
    new ODataError(503, 'ServiceUnavailable', `The service is temporarily unavailable: ${capacity} import jobs are queued or running; retry after ${retryAfterSeconds} s.`, { headers: { 'Retry-After': String(retryAfterSeconds) } }),
  notListable: (set: string) => new ODataError(400, 'BadRequest', `Listing '${set}' is not supported; address a single item by its id.`),

  // 5xx
  serviceUnavailable: (detail: string, retryAfterSeconds = 1) =>
    new ODataError(503, 'ServiceUnavailable', `The service is temporarily unavailable: ${detail}`, { headers: { 'Retry-After': String(retryAfterSeconds) } }),
  internal: (cause: unknown) => new ODataError(500, 'InternalServerError', 'An internal server error occurred. See the server log for the request id.', { cause }),

  // 429: throttling as live Graph words it (graph-protocol.md §5.3); tigraph only throttles on request (src/faults)
  // 504: the database cancelled a statement that ran past its timeout (not an outage: the query was too costly)
  queryTimeout: (timeoutMs: number) =>
    new ODataError(504, 'GatewayTimeout', `The query ran longer than the database's statement timeout (${timeoutMs} ms) and was cancelled; narrow $filter or $search, or page with a smaller $top.`),
  // 504: a read ran past the server's per-request deadline (--request-deadline); its database work was cancelled
  deadlineExceeded: (deadlineMs: number) =>
    new ODataError(504, 'GatewayTimeout', `The request ran longer than the server's deadline of ${deadlineMs} ms and its query was cancelled; narrow $filter or $search, or page with a smaller $top.`),
  tooManyRequests: (retryAfterSeconds = 1) =>
    new ODataError(429, 'TooManyRequests', 'Please retry again later.', { headers: { 'Retry-After': String(retryAfterSeconds) } }),
  invalidHeader: (name: string, detail: string) => new ODataError(400, 'BadRequest', `Invalid header '${name}': ${detail}.`),

  // TAXII 2.1 (src/taxii): shaped as TAXII error messages at the TAXII boundary
  taxiiNotFound: (what: string) => new ODataError(404, 'Not Found', `${what} does not exist.`),
  taxiiNotAcceptable: (accept: string) =>
    new ODataError(406, 'Not Acceptable', `The Accept header '${accept}' allows no media type this endpoint serves (application/taxii+json;version=2.1).`),
  taxiiUnsupportedMediaType: (type: string) =>
    new ODataError(415, 'Unsupported Media Type', `Content-Type '${type}' is not supported; send application/taxii+json;version=2.1.`),
  taxiiBadParameter: (name: string, detail: string) => new ODataError(400, 'Bad Request', `Invalid '${name}': ${detail}.`),
  taxiiForbidden: (what: string) => new ODataError(403, 'Forbidden', `The caller may not ${what}.`),
  taxiiUnauthorized: () => new ODataError(401, 'Unauthorized', 'The username or password is not valid.', { headers: { 'WWW-Authenticate': 'Basic realm="tigraph TAXII"' } }),
  taxiiMethodNotAllowed: (method: string) => new ODataError(405, 'Method Not Allowed', `${method} is not allowed on this TAXII endpoint.`),
} as const;

export type ErrorFactory = keyof typeof errors;
