/**
 * The records of the documented article and vulnerability GET examples (`shared/spec/graph-ti-api.md` E18–E19,
 * `graph-ti-api-all.md` A1, A2, A18–A20) as seed data. Choices (asserted by
 * `test/http/doc-examples-articles.test.ts`):
 *
 * - The `@odata.type` annotations the docs put on complex values (formattedContent, cvssSummary, hyperlink) are
 *   not data: left out.
 * - A18 is not valid JSON as published (a trailing comma after the last `url`); the values are taken as meant.
 * - A20 requests `vulnerabilities/cve-2021-44228/…` where A18/A19 use `CVE-2021-44228`; keys are case-sensitive,
 *   so the component hangs under `CVE-2021-44228`.
 */
import { T_HOSTNAME } from './seed-dataset.js';
import { DOC_INDICATOR_HOSTNAME } from './doc-examples.js';
import { ARTICLE, ARTICLE_INDICATOR, VULNERABILITY, VULNERABILITY_COMPONENT } from '../model/names.js';

type Json = Record<string, unknown>;

export const DOC_ARTICLE_ID = 'a272d5ab';
export const DOC_ARTICLE_INDICATOR_ID = 'ZmFrZS1tYWxpY2lvdXMuc2l0ZQ==';
export const DOC_VULNERABILITY_ID = 'CVE-2021-44228';
export const DOC_VULNERABILITY_COMPONENT_ID = 'Y3ZlLTIwMjEtNDQyMjg3MTQwOUFwYWNoZSBTb2Z0d2FyZSBGb3VuZGF0aW9uIExvZzRqIDIuMA==';

/** A1/A2, with E18's indicator deep-inserted. */
export function docArticles(): Json[] {
  return [
    {
      '@odata.type': ARTICLE.annotation,
      id: DOC_ARTICLE_ID,
      createdDateTime: '2023-03-03T18:20:22.677Z',
      lastUpdatedDateTime: '2023-03-03T18:20:22.677Z',
      title: 'Batloader Malware Abuses Legitimate Tools Uses Obfuscated JavaScript Files in Q4 2022 Attacks',
      summary: { content: 'Trend Micro discusses Batloader campaigns that were observed in the last quarter of 2022.', format: 'markdown' },
      isFeatured: false,
      body: { content: '#### Description\r\nTrend Micro discusses Batloader...', format: 'markdown' },
      tags: ['OSINT', 'Batloader', 'RoyalRansomware', 'Python', 'JavaScript', 'MSI', 'PowerShell'],
      imageUrl: null,
      indicators: [
        { '@odata.type': ARTICLE_INDICATOR.annotation, id: DOC_ARTICLE_INDICATOR_ID, source: 'microsoft', artifact: { '@odata.type': T_HOSTNAME, id: DOC_INDICATOR_HOSTNAME } },
      ],
    },
  ];
}

/** A18, with A19's component deep-inserted. */
export function docVulnerabilities(): Json[] {
  return [
    {
      '@odata.type': VULNERABILITY.annotation,
      id: DOC_VULNERABILITY_ID,
      createdDateTime: '2021-11-27T13:18:28.240Z',
      lastModifiedDateTime: '2023-02-06T18:53:00.000Z',
      publishedDateTime: '2021-12-10T18:15:00.000Z',
      description: {
        content:
          'Apache Log4j2 2.0-beta9 through 2.15.0 (excluding security releases 2.12.2, 2.12.3, and 2.3.1) JNDI features used in configuration, log messages, and parameters do not protect against attacker controlled LDAP and other JNDI related endpoints...',
        format: 'markdown',
      },
      remediation: { content: '##### Upgrade Apache Log4j to 2.15.0...', format: 'markdown' },
      priorityScore: 100,
      severity: 'high',
      commonWeaknessEnumerationIds: ['CWE-20', 'CWE-400', 'CWE-502'],
      cvss2Summary: { score: 9.3, severity: 'high', vectorString: 'AV:N/AC:M/Au:N/C:C/I:C/A:C' },
      cvss3Summary: { score: 10.0, severity: 'critical', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' },
      hasChatter: true,
      exploitsAvailable: true,
      activeExploitsObserved: true,
      exploits: [
        { name: 'http://packetstormsecurity.com/files/165225/Apache-Log4j2-2.14.1-Remote-Code-Execution.html', url: 'http://packetstormsecurity.com/files/165225/Apache-Log4j2-2.14.1-Remote-Code-Execution.html' },
      ],
      references: [{ name: 'Microsoft’s Response to CVE-2021-44228 Apache Log4j 2', url: 'https://msrc-blog.microsoft.com/2021/12/11/microsofts-response-to-cve-2021-44228-apache-log4j2/' }],
      components: [{ '@odata.type': VULNERABILITY_COMPONENT.annotation, id: DOC_VULNERABILITY_COMPONENT_ID, name: 'Apache Software Foundation Log4j 2.0' }],
    },
  ];
}
