/**
 * Deterministic STIX identifiers: `<type>--<uuid>` with an RFC 4122 version-5 (SHA-1, name-based) UUID, so that
 * exporting the same store twice yields byte-identical bundles and re-importing an export lands on the same
 * objects. The name hashed is `<stix type>|<tigraph id>` in the tigraph namespace below (itself the v5 UUID of
 * "tigraph" in the RFC 4122 DNS namespace).
 */
import { createHash } from 'node:crypto';

const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

/** RFC 4122 §4.3 version-5 UUID of `name` in `namespace` (a UUID string). */
export function uuidv5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export const TIGRAPH_NAMESPACE = uuidv5('tigraph', DNS_NAMESPACE);

/** `<type>--<uuidv5(type|key)>`. */
export const stixId = (type: string, key: string): string => `${type}--${uuidv5(`${type}|${key}`, TIGRAPH_NAMESPACE)}`;
