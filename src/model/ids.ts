/**
 * The id rule: how tigraph names entities that arrive without an id, the same for every path that creates them
 * (the write API, the importers, the seed and the export's round trip). Pure functions of their inputs, built on
 * node:crypto's SHA-256.
 *
 * - A profile (or any type with an id rule in the model, `EntityType.idSource`) gets the slug of that property:
 *   Unicode compatibility-decomposed, diacritics dropped, lower case, runs of anything but a-z and 0-9 become one
 *   '-', no '-' at either end ('Midnight Blizzard' → 'midnight-blizzard', 'Café Storm' → 'cafe-storm'). A title
 *   with no such character at all ('熊猫') gets 'profile-' + 16 hex digits of its hash; a slug longer than
 *   MAX_SLUG_LENGTH keeps its first characters and ends in '-' + 16 hex digits of the full title's hash, so two
 *   long titles sharing a prefix stay distinct.
 * - Indicator ids are GUID-shaped (8-4-4-4-12 lower-case hex), like the doc example
 *   `ff3eecd2-a2be-27c2-8dc0-40d1c0eada55`: the first 32 hex digits of sha256(`${profileId}|${artifactId}`). One
 *   profile lists a given artifact at most once, so the pair is unique; an indicator without a profile uses ''.
 * - unclassifiedArtifact ids (the type has no natural key): `url-` + the first 16 hex digits of sha256(value).
 */
import * as crypto from 'node:crypto';
import type { EntityType } from './model.js';

// crypto.hash (Node ≥ 20.12) hashes in one native call, about 2.5× createHash's speed on short ids; bulk
// imports compute one or two per indicator.
const sha256Hex: (s: string) => string =
  typeof crypto.hash === 'function' ? (s) => crypto.hash('sha256', s, 'hex') : (s) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');

/** Longest slug used as an id (an id stays far below what any index can hold). */
export const MAX_SLUG_LENGTH = 200;

/** The slug of `text`, or undefined when it has no letter or digit that survives (see the module comment). */
function plainSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The id a profile with this title gets (see the module comment). */
export function slugId(text: string, fallbackPrefix = 'profile'): string {
  const slug = plainSlug(text);
  if (slug.length === 0) return `${fallbackPrefix}-${sha256Hex(text).slice(0, 16)}`;
  if (slug.length <= MAX_SLUG_LENGTH) return slug;
  return `${slug.slice(0, MAX_SLUG_LENGTH - 17).replace(/-+$/, '')}-${sha256Hex(text).slice(0, 16)}`;
}

/** The id of a new entity of `type` from its values, when the model declares an id rule for the type. */
export function derivedId(type: EntityType, values: Readonly<Record<string, unknown>>): string | undefined {
  const source = type.idSource;
  if (!source) return undefined;
  const text = values[source.name];
  return typeof text === 'string' ? slugId(text) : undefined;
}

/** GUID-shaped, deterministic id of the indicator that links `artifactId` to profile `profileId`. */
export function indicatorId(profileId: string, artifactId: string): string {
  const h = sha256Hex(`${profileId}|${artifactId}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Deterministic id of an unclassifiedArtifact of kind 'url' with the given value. */
export function unclassifiedArtifactId(value: string): string {
  return `url-${sha256Hex(value).slice(0, 16)}`;
}
