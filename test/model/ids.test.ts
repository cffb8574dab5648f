/**
 * The id rule (src/model/ids.ts): indicator and URL artifact ids are SHA-256 prefixes of their inputs, fixed values
 * (computed with Python's hashlib, outside this code), whichever hash call the running Node offers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { indicatorId, unclassifiedArtifactId } from '../../src/model/ids.js';

describe('ids', () => {
  it('indicatorId: the first 32 hex digits of sha256("profile|artifact"), GUID-shaped', () => {
    assert.equal(indicatorId('midnight-blizzard', 'evil.example'), '0eb5b685-771b-577d-46f2-75c88f548bfa');
  });

  it('unclassifiedArtifactId: url- and 16 hex digits of sha256(value)', () => {
    assert.equal(unclassifiedArtifactId('http://95.129.236.86/x'), 'url-91fdeda97fb8eae4');
  });
});
