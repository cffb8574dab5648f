/**
 * Authorization (graph-protocol.md §6.2/§6.3): a verified principal must hold one of the permissions a route needs,
 * either as an application permission (`roles`) or a delegated one (`scp`) — the verifier merges both into
 * `principal.permissions`. ReadWrite implies Read, as in Graph. Missing → 403 Forbidden from the error catalog.
 */
import { errors } from '../errors/catalog.js';

export const READ = 'ThreatIntelligence.Read.All';
export const WRITE = 'ThreatIntelligence.ReadWrite.All';

/** permission → the permissions that also grant it. */
const IMPLIED_BY: Readonly<Record<string, readonly string[]>> = { [READ]: [WRITE] };

/** Whether `principal` holds `permission` directly or through a permission that implies it. */
export function hasPermission(principal: { readonly permissions: ReadonlySet<string> }, permission: string): boolean {
  if (principal.permissions.has(permission)) return true;
  return (IMPLIED_BY[permission] ?? []).some((p) => principal.permissions.has(p));
}

/**
 * Throws 403 (`errors.insufficientPermission`) unless `principal` holds at least one of `anyOf`.
 * An empty `anyOf` means "no permission needed" and always passes.
 */
export function requirePermission(principal: { readonly permissions: ReadonlySet<string> }, anyOf: readonly string[]): void {
  if (anyOf.length === 0 || anyOf.some((p) => hasPermission(principal, p))) return;
  throw errors.insufficientPermission(anyOf.join(' or '));
}
