/**
 * A synthetic article (with two article indicators on demo hosts) and a synthetic vulnerability (with two affected
 * components and a second synthetic article about it), so that `articles`, `articles/{id}/indicators`,
 * `vulnerabilities`, `vulnerabilities/{id}/components` and `vulnerabilities/{id}/articles` answer with something on
 * a fresh `npm start`. The ids say they are made up
 * (`TIGRAPH-DEMO-…`, not CVE ids); hosts are `*.example` names and documentation addresses.
 */
import { T_HOSTNAME, T_IP_ADDRESS } from './seed-dataset.js';

export const DEMO_ARTICLE_ID = 'tigraph-demo-article-1';
export const DEMO_VULNERABILITY_ID = 'TIGRAPH-DEMO-2024-0001';
/** A second synthetic article, about the demo vulnerability (`vulnerabilities/{id}/articles`). */
export const DEMO_ADVISORY_ARTICLE_ID = 'tigraph-demo-article-2';

export function buildDemoArticles(): Record<string, unknown>[] {
  return [
    {
      id: DEMO_ARTICLE_ID,
      title: 'Synthetic campaign against example.org customers (demo data)',
      summary: { content: 'A made-up article for the demo: phishing hosts and a C2 address.', format: 'text' },
      body: { content: '## Demo article\n\nEverything here is synthetic: the hosts are reserved `.example` names.', format: 'markdown' },
      createdDateTime: '2024-05-01T00:00:00Z',
      lastUpdatedDateTime: '2024-05-02T00:00:00Z',
      isFeatured: true,
      tags: ['demo', 'phishing'],
      imageUrl: null,
      indicators: [
        { id: 'tigraph-demo-article-1-ind-1', source: 'microsoft', artifact: { '@odata.type': T_HOSTNAME, id: 'login-portal.phish.example' } },
        { id: 'tigraph-demo-article-1-ind-2', source: 'osint', artifact: { '@odata.type': T_IP_ADDRESS, id: '198.51.100.200' } },
      ],
    },
  ];
}

export function buildDemoVulnerabilities(): Record<string, unknown>[] {
  const cvss = { score: 9.8, severity: 'critical', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' };
  return [
    {
      id: DEMO_VULNERABILITY_ID,
      description: { content: 'A made-up remote code execution flaw in a made-up widget server (demo data).', format: 'text' },
      severity: 'critical',
      priorityScore: 90,
      activeExploitsObserved: false,
      exploitsAvailable: true,
      hasChatter: false,
      commonWeaknessEnumerationIds: ['CWE-787'],
      createdDateTime: '2024-04-01T00:00:00Z',
      lastModifiedDateTime: '2024-04-15T00:00:00Z',
      publishedDateTime: '2024-04-02T00:00:00Z',
      cvss2Summary: { score: 10, severity: 'critical', vectorString: 'AV:N/AC:L/Au:N/C:C/I:C/A:C' },
      cvss3Summary: cvss,
      references: [{ name: 'Demo advisory', url: 'https://advisories.example/TIGRAPH-DEMO-2024-0001' }],
      articles: [
        {
          id: DEMO_ADVISORY_ARTICLE_ID,
          title: 'Synthetic advisory: TIGRAPH-DEMO-2024-0001 in the made-up widget server (demo data)',
          summary: { content: 'A made-up article about the demo vulnerability.', format: 'text' },
          body: { content: 'Everything here is synthetic. Upgrade the made-up widget server to 2.3.', format: 'text' },
          createdDateTime: '2024-04-16T00:00:00Z',
          lastUpdatedDateTime: '2024-04-16T00:00:00Z',
          isFeatured: false,
          tags: ['demo', 'vulnerability'],
          imageUrl: null,
          indicators: [{ id: 'tigraph-demo-article-2-ind-1', source: 'public', artifact: { '@odata.type': T_IP_ADDRESS, id: '203.0.113.10' } }],
        },
      ],
      components: [
        { id: 'widget-server-2.1', name: 'Widget Server 2.1 (demo)' },
        { id: 'widget-server-2.2', name: 'Widget Server 2.2 (demo)' },
      ],
    },
  ];
}
