/**
 * Deterministic ids for seed records (pure functions of their inputs, built on node:crypto's SHA-256).
 *
 * - Indicator ids are GUID-shaped (8-4-4-4-12 lower-case hex), like the doc example
 *   `ff3eecd2-a2be-27c2-8dc0-40d1c0eada55`: the first 32 hex digits of sha256(`${profileId}|${artifactId}`).
 *   One profile lists a given artifact at most once, so the pair is unique.
 * - unclassifiedArtifact ids (the type has no natural key and is not addressable in Graph):
 *   `url-` + the first 16 hex digits of sha256(value).
 */
import { createHash } from 'node:crypto';

const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** GUID-shaped, deterministic id of the indicator that links `artifactId` to profile `profileId`. */
export function indicatorId(profileId: string, artifactId: string): string {
  const h = sha256Hex(`${profileId}|${artifactId}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Deterministic id of an unclassifiedArtifact of kind 'url' with the given value. */
export function unclassifiedArtifactId(value: string): string {
  return `url-${sha256Hex(value).slice(0, 16)}`;
}

/** Freezes a JSON-like value and everything below it; returns it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
