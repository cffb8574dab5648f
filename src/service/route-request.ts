/**
 * The one router: every URL of the API goes through the model-driven path parser and binder, and the result says
 * what the request needs before it runs: who may call it (`access`) and how its body is read (`body`). The HTTP
 * layer authenticates and reads the body from this declaration; it knows no route by name.
 *
 * Routing never throws: a path that does not bind (or a method the target does not allow) is carried as the
 * error to answer with, after authentication, so an unauthenticated caller learns nothing about the URL space.
 */
import { errors } from '../errors/catalog.js';
import type { ODataError } from '../errors/odata-error.js';
import type { Model } from '../model/model.js';
import { bindResourcePath, type BoundResource } from '../odata/path/bind-resource-path.js';
import { parseResourcePath, type ApiVersion } from '../odata/path/parse-resource-path.js';

export type Access = 'public' | 'read' | 'write';
export type BodyKind = 'none' | 'json' | 'bytes';

export type Target =
  | { readonly kind: 'serviceDocument'; readonly version: ApiVersion }
  | { readonly kind: 'metadata'; readonly version: ApiVersion }
  | { readonly kind: 'resource'; readonly version: ApiVersion; readonly resource: BoundResource }
  | { readonly kind: 'error'; readonly error: ODataError };

export interface Route {
  readonly method: string;
  readonly target: Target;
  readonly access: Access;
  readonly body: BodyKind;
}

const READ = ['GET', 'HEAD'];

/** The methods a bound resource answers, in the order `Allow` lists them. */
export function allowedMethods(resource: BoundResource): readonly string[] {
  switch (resource.kind) {
    case 'action':
      return ['POST'];
    case 'navigation':
    case 'hop':
      return READ;
    case 'collection':
      return resource.set.writable && !resource.count && resource.set.listable ? [...READ, 'POST'] : READ;
    case 'entity':
      return resource.set.writable ? [...READ, 'PATCH', 'DELETE'] : READ;
  }
}

const failed = (method: string, error: ODataError): Route => ({ method, target: { kind: 'error', error }, access: 'read', body: 'none' });

export function routeRequest(model: Model, method: string, rawPath: string): Route {
  let parsed;
  try {
    parsed = parseResourcePath(rawPath, model.container.rootPath);
  } catch (e) {
    return failed(method, e as ODataError);
  }
  if (parsed.kind === 'unknown') return failed(method, errors.pathNotFound(rawPath));
  if (parsed.kind !== 'resource') {
    if (!READ.includes(method)) return { method, target: { kind: 'error', error: errors.methodNotAllowed(method, READ) }, access: 'public', body: 'none' };
    return { method, target: parsed, access: 'public', body: 'none' };
  }
  let resource: BoundResource;
  try {
    resource = bindResourcePath(model, parsed.segments);
  } catch (e) {
    return failed(method, e as ODataError);
  }
  const allowed = allowedMethods(resource);
  if (!allowed.includes(method)) return failed(method, errors.methodNotAllowed(method, allowed));
  const target: Target = { kind: 'resource', version: parsed.version, resource };
  if (resource.kind === 'action') return { method, target, access: resource.action.access, body: resource.action.body };
  if (READ.includes(method)) return { method, target, access: 'read', body: 'none' };
  return { method, target, access: 'write', body: method === 'DELETE' ? 'none' : 'json' };
}
