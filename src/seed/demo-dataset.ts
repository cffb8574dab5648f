/**
 * The demo dataset: what `tigraph` loads into an empty store for demos, the README walk-through and tests.
 *
 * Contents (see `buildDemoDataset`):
 * - the doc-example records of `doc-examples.ts` (profiles `actinium` and `9b01de37…`, Aqua Blizzard);
 * - eight profiles of real, publicly named threat actors and tools. Titles, aliases and origins of the actors are
 *   facts from Microsoft's threat-actor naming feed (`microsoft/mstic` PublicFeeds/ThreatActorNaming/
 *   MicrosoftMapping.json, CC-BY-4.0); `aliases` is that feed's "Other names" list in the feed's order. Targets,
 *   first-activity years, summaries, descriptions and tradecraft notes are short factual texts written for
 *   tigraph (no text is copied from any source). First-activity dates are approximate (January 1st of the year
 *   of earliest publicly reported activity, or the month for Volt Typhoon). Ids are the lower-case slug of the
 *   title (`midnight-blizzard`, `cobalt-strike`, …). Every summary starts with "Demo record.".
 * - for each of the eight, synthetic indicators (12–40; `cobalt-strike` has 150, so that paging past one page of
 *   100 can be shown).
 *
 * The indicators are synthetic: they are NOT real threat intelligence. intelligenceProfileIndicator has no
 * free-text field, so they are labelled by their values instead — every synthetic artifact lives in address
 * space reserved for documentation, which no real infrastructure can use:
 * - hostnames under the reserved TLD `.example` (RFC 2606/6761), `<word>-<n>.<profile-id>.example`, with
 *   registrant and registrar naming them synthetic demo data;
 * - IPv4 addresses from the documentation blocks 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (RFC 5737), IPv6
 *   addresses from 2001:db8::/32 (RFC 3849), with autonomous-system numbers from the documentation range
 *   64496–64511 (RFC 5398), country `ZZ` (ISO 3166 user-assigned) and organization/hosting provider naming them
 *   synthetic demo data;
 * - unclassifiedArtifact URLs (kind `url`) on `.example` hosts.
 *
 * Generation is deterministic: a seeded PRNG (mulberry32, seeded per profile from a SHA-256 of its id; no
 * Math.random) picks artifact types, sources (microsoft/osint/public) and dates. firstSeenDateTime lies in
 * 2021–2025 and not before the profile's firstActiveDateTime; about one in five lastSeenDateTime is null, the
 * others are ≥ firstSeenDateTime and within 2025. IPv4 addresses come from one shuffled pool shared by all
 * profiles, so no synthetic artifact appears twice. Indicator ids are `indicatorId(profileId, artifactId)`.
 */
import { buildDemoHosts } from './demo-enrichment.js';
import { SYNTHETIC_LABEL } from './synthetic-label.js';
import { buildDemoEnrichedHosts, buildDemoEnrichment } from './demo-host-enrichment.js';
import { buildDocExampleEntities } from './doc-examples-entities.js';
import { docWhoisHosts } from './doc-examples-whois.js';
import { SETS } from '../model/names.js';
import { buildDemoArticles, buildDemoVulnerabilities } from './demo-articles.js';
import { createHash } from 'node:crypto';
import { mulberry32 } from './random.js';
import { buildDocExamples } from './doc-examples.js';
import { indicatorId, slugId, unclassifiedArtifactId } from '../model/ids.js';
import { deepFreeze } from './deep-freeze.js';
import { type SeedDataset, T_HOSTNAME, T_INDICATOR, T_IP_ADDRESS, T_PROFILE, T_UNCLASSIFIED } from './seed-dataset.js';

export type { SeedDataset } from './seed-dataset.js';

/** Label put into the free-text properties of every synthetic artifact. */
export { SYNTHETIC_LABEL };
/** The IPv4 documentation blocks synthetic ipAddress artifacts are drawn from. */
export const SYNTHETIC_IPV4_BLOCKS = ['192.0.2', '198.51.100', '203.0.113'] as const;
/** Lower and upper bound of synthetic seen dates. */
export const SYNTHETIC_SEEN_FROM = '2021-01-01T00:00:00.000Z';
export const SYNTHETIC_SEEN_TO = '2025-12-31T23:59:59.000Z';
/** A profile with more indicators than one page of 100. */
export const LARGE_PROFILE_ID = 'cobalt-strike';

type Origin = { readonly label: string; readonly code: string };

interface ProfileSpec {
  readonly title: string;
  readonly kind: 'actor' | 'tool';
  readonly firstActiveDateTime: string;
  readonly aliases: readonly string[];
  readonly origins: readonly Origin[];
  readonly targets: readonly string[];
  readonly summary: string;
  readonly description: string;
  readonly tradecraft: string;
  readonly indicatorCount: number;
}

const RUSSIA: Origin = { label: 'Russia', code: 'RU' };
const NORTH_KOREA: Origin = { label: 'North Korea', code: 'KP' };
const IRAN: Origin = { label: 'Iran', code: 'IR' };
const CHINA: Origin = { label: 'China', code: 'CN' };

const DEMO_NOTE =
  '\n\n> Demo record shipped with tigraph. Its indicators are synthetic and use only reserved documentation address space (`.example`, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32).';

/** The real actors and tools of the demo dataset. Texts are tigraph's own short summaries of public reporting. */
const SPECS: readonly ProfileSpec[] = [
  {
    title: 'Midnight Blizzard',
    kind: 'actor',
    firstActiveDateTime: '2008-01-01T00:00:00.000Z',
    aliases: ['NOBELIUM', 'COZY BEAR', 'UNC2452', 'APT29'],
    origins: [RUSSIA],
    targets: ['Government', 'Diplomatic entities', 'Non-governmental organizations', 'IT service providers', 'Think tanks'],
    summary:
      'Demo record. Midnight Blizzard is a Russian state actor that Microsoft attributes to the Foreign Intelligence Service (SVR). It runs long, quiet intelligence-gathering operations against governments, diplomats, NGOs and IT providers.',
    description:
      '## Overview\n\nMidnight Blizzard, earlier tracked by Microsoft as NOBELIUM and widely known as APT29, collects intelligence for the Russian state. Its best-known operation is the 2020 supply-chain compromise of SolarWinds Orion software, which gave it access to many government and private networks. In 2024 Microsoft disclosed that the group had reached email accounts of senior Microsoft leaders.\n\n## Targets\n\nForeign ministries and embassies, government agencies in Europe and North America, non-governmental organizations, think tanks and the cloud and IT service providers that serve them.' +
      DEMO_NOTE,
    tradecraft:
      '- Password spraying and credential theft against cloud identities\n- Abuse of OAuth applications and stolen tokens to keep access to mailboxes\n- Supply-chain compromise of software and service providers\n- Spear-phishing with HTML smuggling and lures themed on diplomatic events\n- Residential proxies to blend in with ordinary traffic',
    indicatorCount: 34,
  },
  {
    title: 'Seashell Blizzard',
    kind: 'actor',
    firstActiveDateTime: '2009-01-01T00:00:00.000Z',
    aliases: ['IRIDIUM', 'VOODOO BEAR', 'BE2', 'UAC-0113', 'Blue Echidna', 'Sandworm', 'PHANTOM', 'BlackEnergy Lite', 'APT44'],
    origins: [RUSSIA],
    targets: ['Energy', 'Government', 'Transportation', 'Telecommunications', 'Critical infrastructure in Ukraine'],
    summary:
      'Demo record. Seashell Blizzard, also called Sandworm, is a Russian military intelligence (GRU) actor known for destructive attacks, most of all against Ukraine and its critical infrastructure.',
    description:
      '## Overview\n\nSeashell Blizzard is linked to GRU Unit 74455. It caused the power outages in Ukraine in 2015 and 2016, released the NotPetya wiper in 2017 and disrupted the opening of the 2018 Winter Olympics. Since 2022 it has repeatedly attacked Ukrainian energy, government and logistics organizations.\n\n## Targets\n\nElectric utilities and industrial control systems, government bodies, telecommunications and transport, mainly in Ukraine but also in Europe and elsewhere.' +
      DEMO_NOTE,
    tradecraft:
      '- Data wipers disguised as ransomware\n- Malware written for industrial control protocols\n- Exploitation of internet-facing servers and edge devices for initial access\n- Group Policy and other built-in tools to spread payloads across a domain',
    indicatorCount: 28,
  },
  {
    title: 'Forest Blizzard',
    kind: 'actor',
    firstActiveDateTime: '2004-01-01T00:00:00.000Z',
    aliases: [
      'STRONTIUM',
      'FANCY BEAR',
      'Sednit',
      'ATG2',
      'Sofacy',
      'Blue Athena',
      'Z-Lom Team',
      'Operation Pawn Storm',
      'Tsar Team',
      'CrisisFour',
      'HELLFIRE',
      'APT28',
    ],
    origins: [RUSSIA],
    targets: ['Government', 'Defense', 'Political organizations', 'Media', 'Energy'],
    summary:
      'Demo record. Forest Blizzard, widely known as APT28, is a Russian military intelligence (GRU) actor that steals information from governments, militaries, political organizations and the media.',
    description:
      '## Overview\n\nForest Blizzard is associated with GRU Unit 26165 and has been reported on since the mid-2000s. Its operations support Russian foreign-policy and military goals, including hack-and-leak campaigns around elections and sporting bodies.\n\n## Targets\n\nMinistries of defense and foreign affairs, NATO members, political parties, journalists and energy companies.' +
      DEMO_NOTE,
    tradecraft:
      '- Credential-phishing pages that imitate webmail and single-sign-on portals\n- Fast exploitation of newly disclosed flaws, for example the 2023 Outlook privilege-escalation bug\n- Compromised small-office routers used as relays\n- Custom implants for Windows and Linux',
    indicatorCount: 22,
  },
  {
    title: 'Emerald Sleet',
    kind: 'actor',
    firstActiveDateTime: '2012-01-01T00:00:00.000Z',
    aliases: ['THALLIUM', 'VELVET CHOLLIMA', 'RGB-D5', 'Black Banshee', 'Kimsuky', 'Greendinosa'],
    origins: [NORTH_KOREA],
    targets: ['Think tanks', 'Academia', 'Government', 'Media', 'Experts on North Korea policy'],
    summary:
      'Demo record. Emerald Sleet, also known as Kimsuky, is a North Korean actor that gathers intelligence from people and institutions working on policy about the Korean peninsula.',
    description:
      '## Overview\n\nEmerald Sleet collects information that informs the North Korean government about foreign policy, sanctions and nuclear issues. It approaches its targets personally, often over several messages, before sending malicious content.\n\n## Targets\n\nResearchers at think tanks and universities, government officials, journalists and non-governmental organizations, mainly in South Korea, the United States, Japan and Europe.' +
      DEMO_NOTE,
    tradecraft:
      '- Spear-phishing that poses as journalists, academics or officials asking for comment\n- Credential-harvesting pages for webmail and cloud accounts\n- Malicious documents, scripts and browser extensions that steal mail\n- Use of free hosting and blog platforms for staging',
    indicatorCount: 18,
  },
  {
    title: 'Mint Sandstorm',
    kind: 'actor',
    firstActiveDateTime: '2014-01-01T00:00:00.000Z',
    aliases: ['PHOSPHORUS', 'CHARMING KITTEN', 'Parastoo', 'Newscaster', 'APT35'],
    origins: [IRAN],
    targets: ['Academia', 'Journalists', 'Activists', 'Government', 'Think tanks'],
    summary:
      'Demo record. Mint Sandstorm, also known as Charming Kitten or APT35, is an Iranian actor linked to the Islamic Revolutionary Guard Corps that spies on people of interest to the Iranian government.',
    description:
      '## Overview\n\nMint Sandstorm combines patient social engineering with opportunistic exploitation. It builds rapport with targets over email and social media before sending a phishing link, and it also scans for vulnerable public-facing applications.\n\n## Targets\n\nAcademics and researchers on Middle East affairs, journalists, human-rights activists, dissidents and government officials.' +
      DEMO_NOTE,
    tradecraft:
      '- Fake personas that hold benign conversations before sending a malicious link\n- Credential phishing for personal and work email\n- Exploitation of known flaws in internet-facing applications soon after disclosure\n- Lightweight custom backdoors and PowerShell tooling',
    indicatorCount: 14,
  },
  {
    title: 'Volt Typhoon',
    kind: 'actor',
    firstActiveDateTime: '2021-06-01T00:00:00.000Z',
    aliases: ['VANGUARD PANDA', 'BRONZE SILHOUETTE'],
    origins: [CHINA],
    targets: ['Communications', 'Energy', 'Transportation', 'Water utilities', 'Maritime', 'Government'],
    summary:
      'Demo record. Volt Typhoon is a Chinese state-sponsored actor that gains and keeps access to critical-infrastructure networks in the United States and its territories, including Guam.',
    description:
      '## Overview\n\nMicrosoft first described Volt Typhoon in May 2023 and has seen it active since mid-2021. Its activity points to pre-positioning in infrastructure networks rather than quick data theft, and it takes care to avoid detection.\n\n## Targets\n\nCommunications, energy, transportation, water and maritime organizations as well as government and manufacturing.' +
      DEMO_NOTE,
    tradecraft:
      '- Living off the land: built-in Windows commands instead of malware\n- Initial access through vulnerable internet-facing security appliances\n- Traffic relayed through compromised small-office and home-office routers\n- Credential theft from LSASS memory and the Active Directory database',
    indicatorCount: 40,
  },
  {
    title: 'Cobalt Strike',
    kind: 'tool',
    firstActiveDateTime: '2012-01-01T00:00:00.000Z',
    aliases: ['CobaltStrike', 'Beacon'],
    origins: [],
    targets: ['All sectors'],
    summary:
      'Demo record. Cobalt Strike is a commercial adversary-simulation framework whose Beacon implant is also widely used by criminal and state actors through cracked and leaked copies.',
    description:
      '## Overview\n\nCobalt Strike was released in 2012 for red teams. Its post-exploitation agent, Beacon, gives an operator command execution, lateral movement and credential access on compromised hosts. Unlicensed copies circulate widely, so the tool appears in ransomware and espionage intrusions alike.\n\n## Detection notes\n\nDefault team-server settings and certificates, Beacon configuration blocks in memory and named-pipe patterns are common detection points.' +
      DEMO_NOTE,
    tradecraft:
      '- Beacon command-and-control over HTTP, HTTPS, DNS and SMB named pipes\n- Malleable C2 profiles that shape network traffic to look like ordinary web traffic\n- In-memory execution of tools and process injection\n- Built-in lateral movement through service creation and remote execution',
    indicatorCount: 150,
  },
  {
    title: 'Mimikatz',
    kind: 'tool',
    firstActiveDateTime: '2011-01-01T00:00:00.000Z',
    aliases: ['mimikatz.exe', 'kiwi'],
    origins: [],
    targets: ['All sectors'],
    summary:
      'Demo record. Mimikatz is an open-source Windows credential tool that extracts passwords, hashes and Kerberos tickets from memory; attackers use it after gaining administrative access.',
    description:
      '## Overview\n\nMimikatz was published in 2011 as a research tool showing weaknesses in Windows authentication. Its modules read secrets from the LSASS process and the credential stores of Windows, and it has been folded into many other attack frameworks.\n\n## Detection notes\n\nAccess to LSASS memory, replication requests from hosts that are not domain controllers and forged Kerberos tickets are typical signs of its use.' +
      DEMO_NOTE,
    tradecraft:
      '- Dumping of plaintext passwords, NTLM hashes and Kerberos tickets from LSASS\n- Pass-the-hash and pass-the-ticket\n- Forging golden and silver Kerberos tickets\n- DCSync: requesting password data from a domain controller through directory replication',
    indicatorCount: 16,
  },
];



const rngFor = (label: string): (() => number) =>
  mulberry32(Number.parseInt(createHash('sha256').update(label, 'utf8').digest('hex').slice(0, 8), 16));

const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const intIn = (rng: () => number, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

const HOST_WORDS = ['update-cdn', 'login', 'mail', 'docs', 'static', 'api', 'sync', 'portal', 'files', 'vpn', 'auth', 'news'];
const PATH_WORDS = ['download', 'gate', 'submit', 'content', 'check', 'assets'];
/** Draws that force hostname, IPv4, IPv6 and url for indicators 1–4. */
const FIXED_SHAPES = [0.1, 0.5, 0.8, 0.9];
const DOC_ASN_FIRST = 64496;
const DOC_ASN_LAST = 64511;

/** All 762 host addresses of the three IPv4 documentation blocks, shuffled once with a fixed seed. */
function ipv4Pool(): string[] {
  const pool: string[] = [];
  for (const block of SYNTHETIC_IPV4_BLOCKS) for (let h = 1; h <= 254; h++) pool.push(`${block}.${h}`);
  const rng = rngFor('tigraph-demo-ipv4-pool');
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  return pool;
}

const SEEN_FROM_MS = Date.parse(SYNTHETIC_SEEN_FROM);
const SEEN_TO_MS = Date.parse(SYNTHETIC_SEEN_TO);
const iso = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString();

function syntheticProfile(spec: ProfileSpec, block: number, nextIpv4: () => string): Record<string, unknown> {
  const profileId = slugId(spec.title);
  const rng = rngFor(`tigraph-demo|${profileId}`);
  const start = Math.max(SEEN_FROM_MS, Date.parse(spec.firstActiveDateTime));
  const indicators: Record<string, unknown>[] = [];

  for (let n = 1; n <= spec.indicatorCount; n++) {
    const firstMs = start + Math.floor(rng() * (SEEN_TO_MS - start));
    const lastMs = rng() < 0.2 ? null : firstMs + Math.floor(rng() * (SEEN_TO_MS - firstMs));
    const firstSeenDateTime = iso(firstMs);
    const lastSeenDateTime = lastMs === null ? null : iso(lastMs);
    const r = rng();
    const source = r < 0.5 ? 'microsoft' : r < 0.8 ? 'osint' : 'public';
    const host = `${pick(rng, HOST_WORDS)}-${n}.${profileId}.example`;
    // The first four indicators cover the four artifact shapes; the rest are drawn at random.
    const t = n <= FIXED_SHAPES.length ? (FIXED_SHAPES[n - 1] as number) : rng();
    let artifact: Record<string, unknown>;
    if (t < 0.45) {
      artifact = {
        '@odata.type': T_HOSTNAME,
        id: host,
        firstSeenDateTime,
        lastSeenDateTime,
        registrar: 'Example Registrar (synthetic)',
        registrant: SYNTHETIC_LABEL,
      };
    } else if (t < 0.85) {
      const v6 = t >= 0.72;
      const ip = v6 ? `2001:db8:${block.toString(16)}:${n.toString(16)}::${intIn(rng, 1, 0xffff).toString(16)}` : nextIpv4();
      const asn = intIn(rng, DOC_ASN_FIRST, DOC_ASN_LAST);
      artifact = {
        '@odata.type': T_IP_ADDRESS,
        id: ip,
        firstSeenDateTime,
        lastSeenDateTime,
        autonomousSystem: { name: `SYNTHETIC-DEMO-AS${asn}`, number: asn, organization: SYNTHETIC_LABEL, value: `AS${asn}` },
        countryOrRegion: 'ZZ',
        hostingProvider: SYNTHETIC_LABEL,
        netblock: v6 ? `2001:db8:${block.toString(16)}::/48` : `${ip.slice(0, ip.lastIndexOf('.'))}.0/24`,
      };
    } else {
      const value = `https://${host}/${pick(rng, PATH_WORDS)}/${intIn(rng, 0, 0xffffff).toString(16).padStart(6, '0')}`;
      artifact = { '@odata.type': T_UNCLASSIFIED, id: unclassifiedArtifactId(value), kind: 'url', value };
    }
    indicators.push({
      '@odata.type': T_INDICATOR,
      id: indicatorId(profileId, artifact['id'] as string),
      source,
      firstSeenDateTime,
      lastSeenDateTime,
      artifact,
    });
  }

  return {
    '@odata.type': T_PROFILE,
    id: profileId,
    kind: spec.kind,
    title: spec.title,
    firstActiveDateTime: spec.firstActiveDateTime,
    aliases: [...spec.aliases],
    targets: [...spec.targets],
    countriesOrRegionsOfOrigin: spec.origins.map((o) => ({ label: o.label, code: o.code })),
    summary: { content: spec.summary, format: 'text' },
    description: { content: spec.description, format: 'markdown' },
    tradecraft: { content: spec.tradecraft, format: 'markdown' },
    indicators,
  };
}

/** Builds fresh (unfrozen) copies of the synthetic profiles only (without the doc examples). */
export function buildSyntheticProfiles(): Record<string, unknown>[] {
  const pool = ipv4Pool();
  let cursor = 0;
  const nextIpv4 = (): string => {
    const ip = pool[cursor++];
    if (ip === undefined) throw new Error('demo dataset: IPv4 documentation pool exhausted');
    return ip;
  };
  return SPECS.map((spec, i) => syntheticProfile(spec, i + 1, nextIpv4));
}

/** Builds a fresh (unfrozen) demo dataset: the doc-example profiles first, then the synthetic ones. */
export function buildDemoDataset(): SeedDataset {
  return { profiles: [...buildDocExamples().profiles, ...buildSyntheticProfiles()], hosts: [...buildDemoHosts(), ...docWhoisHosts(), ...buildDemoEnrichedHosts()],
    entities: [
      { set: SETS.articles, records: buildDemoArticles() },
      { set: SETS.vulnerabilities, records: buildDemoVulnerabilities() },
      ...buildDocExampleEntities(),
      ...buildDemoEnrichment(),
    ],
  };
}

/** The demo dataset (deeply frozen). */
export const DEMO_DATASET: SeedDataset = deepFreeze(buildDemoDataset());
