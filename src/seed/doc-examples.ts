/**
 * The records of Microsoft's Graph threat-intelligence doc examples (`shared/spec/graph-ti-api.md` §3.1–3.5),
 * as seed data, so that a store seeded with them answers the doc requests with the doc payloads.
 *
 * Records:
 * - Profile `actinium` (title ACTINIUM): every field of the beta E2 example (`GET /beta/…/intelProfiles/actinium`).
 * - Profile `9b01de37…da80` (Aqua Blizzard): every field of the v1.0 E2 example.
 * - Indicator `ff3eecd2-a2be-27c2-8dc0-40d1c0eada55` (artifact hostname `fake-malicious.site`), the E3/E4 example.
 * - Host `contoso.com` of the E5 example (`GET …/hosts/contoso.com`), stored as the artifact of one more
 *   indicator because artifacts enter the store only through indicators.
 *
 * Choices:
 * - Values are copied verbatim, including the docs' date spellings (`2022-01-31T16:00:00.000Z` beta,
 *   `2020-02-24T00:00:00Z` v1.0) and the placeholder origin `{label: 'Country/Region', code: 'Country/Region code'}`.
 * - The `@odata.type` annotations that the docs put on complex values (without `#`; the beta one even names the
 *   non-existent type `countriesOrRegionsOfOrigin`) are left out: they are not data. Whether to emit them is the
 *   serializer's business. The entities' own `"@odata.type"` is kept.
 * - Both E3 list examples (beta under `actinium`, v1.0 under `9b01de37…`) show indicator `ff3eecd2…` under their
 *   own profile, but in tigraph an indicator belongs to exactly one profile. `ff3eecd2…` is attached to the v1.0
 *   profile `9b01de37…`, so that the v1.0 E3 list, the E4 get (both versions) and the v1.0 E2 get reproduce
 *   exactly. `actinium` gets its own indicator for the same artifact, with the deterministic id
 *   `indicatorId('actinium', 'fake-malicious.site')`; the beta E3 list therefore shows that id instead of
 *   `ff3eecd2…` (and also lists the contoso.com indicator, below). That beta example cannot be reproduced
 *   exactly anyway without giving one indicator two profiles.
 * - The `contoso.com` indicator hangs under `actinium` (not under `9b01de37…`, which would spoil the v1.0 E3
 *   list). Its id is `indicatorId('actinium', 'contoso.com')`, its source `microsoft`, and its first/last seen
 *   dates are the host's own (2009-09-02T03:29:10.000Z) — the docs show no indicator for this host.
 * - The artifact `fake-malicious.site` has only its id: the docs show no other property of it.
 */
import { indicatorId } from '../model/ids.js';
import { deepFreeze } from './deep-freeze.js';
import { type SeedDataset, T_HOSTNAME, T_INDICATOR, T_PROFILE } from './seed-dataset.js';

export type { SeedDataset } from './seed-dataset.js';

export const DOC_ACTINIUM_PROFILE_ID = 'actinium';
export const DOC_AQUA_BLIZZARD_PROFILE_ID = '9b01de37bf66d1760954a16dc2b52fed2a7bd4e093dfc8a4905e108e4843da80';
export const DOC_INDICATOR_ID = 'ff3eecd2-a2be-27c2-8dc0-40d1c0eada55';
export const DOC_INDICATOR_HOSTNAME = 'fake-malicious.site';
export const DOC_HOST_ID = 'contoso.com';
/** actinium's indicator of `fake-malicious.site` (the doc shows ff3eecd2…, which belongs to the v1.0 profile). */
export const DOC_ACTINIUM_INDICATOR_ID = indicatorId(DOC_ACTINIUM_PROFILE_ID, DOC_INDICATOR_HOSTNAME);
/** actinium's indicator of `contoso.com`. */
export const DOC_CONTOSO_INDICATOR_ID = indicatorId(DOC_ACTINIUM_PROFILE_ID, DOC_HOST_ID);

const fakeMaliciousSite = (): Record<string, unknown> => ({
  '@odata.type': T_HOSTNAME,
  id: DOC_INDICATOR_HOSTNAME,
});

/** The E5 host `contoso.com` (also the host of the whois, passive DNS, pair, subdomain and certificate examples). */
export const contosoCom = (): Record<string, unknown> => ({
  '@odata.type': T_HOSTNAME,
  id: DOC_HOST_ID,
  firstSeenDateTime: '2009-09-02T03:29:10.000Z',
  lastSeenDateTime: '2009-09-02T03:29:10.000Z',
  registrar: 'MarkMonitor Inc.',
  registrant: 'Microsoft Corporation',
});

/** Builds fresh (unfrozen) copies of the doc-example records. */
export function buildDocExamples(): SeedDataset {
  const actinium: Record<string, unknown> = {
    '@odata.type': T_PROFILE,
    id: DOC_ACTINIUM_PROFILE_ID,
    kind: 'actor',
    title: 'ACTINIUM',
    firstActiveDateTime: '2022-01-31T16:00:00.000Z',
    aliases: ['Primitive Bear', 'TEMP.Armageddon', 'Shuckworm', 'Gamaredon'],
    targets: ['Government', 'Humanitarian'],
    countriesOrRegionsOfOrigin: [{ label: 'Country/Region', code: 'Country/Region code' }],
    summary: {
      content:
        'ACTINIUM is an activity group with a long history of targeting government and private sector organizations that have a presence in or an association with Ukraine',
      format: 'text',
    },
    description: {
      content:
        '### Summary\n\nACTINIUM is an activity group with a long history of targeting government and private sector organizations that have a presence in or an association with Ukraine. On February 4, 2022, Microsoft released a [blog]...',
      format: 'markdown',
    },
    tradecraft: {
      content:
        '#### Tactics, Techniques, and Procedures\n\n[ACTINIUM](https://attack.mitre.org/groups/G0047/) has exhibited use of the following attack techniques...',
      format: 'markdown',
    },
    indicators: [
      {
        '@odata.type': T_INDICATOR,
        id: DOC_ACTINIUM_INDICATOR_ID,
        source: 'microsoft',
        firstSeenDateTime: '2022-05-02T23:09:20.000Z',
        lastSeenDateTime: null,
        artifact: fakeMaliciousSite(),
      },
      {
        '@odata.type': T_INDICATOR,
        id: DOC_CONTOSO_INDICATOR_ID,
        source: 'microsoft',
        firstSeenDateTime: '2009-09-02T03:29:10.000Z',
        lastSeenDateTime: '2009-09-02T03:29:10.000Z',
        artifact: contosoCom(),
      },
    ],
  };

  const aquaBlizzard: Record<string, unknown> = {
    '@odata.type': T_PROFILE,
    id: DOC_AQUA_BLIZZARD_PROFILE_ID,
    kind: 'actor',
    title: 'Aqua Blizzard',
    firstActiveDateTime: '2020-02-24T00:00:00Z',
    aliases: ['Primitive Bear', 'ACTINIUM', 'SectorC08', 'shuckworm', 'Gamaredon', 'UNC530', 'Armageddon'],
    targets: [
      'Government Agencies & Services: Defense',
      'Government Agencies & Services: Law Enforcement',
      'Non-Government Organization: Human Rights Organization',
    ],
    countriesOrRegionsOfOrigin: [{ label: 'Country/Region', code: 'Country/Region code' }],
    summary: {
      content:
        'The actor that Microsoft tracks as Aqua Blizzard (ACTINIUM) is a nation-state activity group based out of ...',
      format: 'text',
    },
    description: {
      content:
        '## Snapshot\r\nThe actor that Microsoft tracks as Aqua Blizzard (ACTINIUM) is a nation-state activity group based out of ...',
      format: 'markdown',
    },
    tradecraft: {
      content:
        'Aqua Blizzard (ACTINIUM) primarily uses spear phishing emails to infect targets. These emails harness remote template injection to load malicious code or content. Typically, ...',
      format: 'markdown',
    },
    indicators: [
      {
        '@odata.type': T_INDICATOR,
        id: DOC_INDICATOR_ID,
        source: 'microsoft',
        firstSeenDateTime: '2022-05-02T23:09:20.000Z',
        lastSeenDateTime: null,
        artifact: fakeMaliciousSite(),
      },
    ],
  };

  return { profiles: [actinium, aquaBlizzard] };
}

/** The doc-example records (deeply frozen). */
export const DOC_EXAMPLES: SeedDataset = deepFreeze(buildDocExamples());
