/**
 * The explorer's pages in Debian's Chromium (issue 15): each loads with no console error and no failed request,
 * passes axe-core with no serious or critical violation, and is saved as a screenshot (test-artifacts/); the
 * first page renders within 1 s; keyboard navigation reaches the search box and a link; a profile description
 * holding <img onerror> and <script> renders inert.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { announceSkip, assertClean, assertOnlyCspRefusals, axeViolations, openExplorer, signIn, skipReason, type Explorer } from './explorer-harness.js';

const skip = skipReason();
if (skip) announceSkip(skip);

const XSS_DESCRIPTION =
  '<p id="kept">Plain <b>words</b> stay.</p><img src=x onerror="window.__xssImg=1;alert(1)"><script>window.__xssScript=1;alert(2)</script>' +
  '<a id="js-link" href="javascript:window.__xssLink=1">a link</a><svg onload="window.__xssSvg=1"></svg>';

describe('explorer pages in Chromium', { skip }, () => {
  let e: Explorer;
  before(async () => {
    e = await openExplorer();
    assert.ok(e.server.banner.includes(`  explorer:  ${e.url}/   (the intel explorer, in a browser)\n`), e.server.banner);
    const created = await e.send('POST', 'intelProfiles', {
      id: 'xss-tempest',
      title: 'XSS Tempest',
      kind: 'actor',
      firstActiveDateTime: '2023-04-01T00:00:00Z',
      summary: { content: 'A **markdown** summary with <script>window.__xssMd=1</script> inside.', format: 'markdown' },
      description: { content: XSS_DESCRIPTION, format: 'html' },
      tradecraft: { content: 'Text <b>not bold</b> & kept.', format: 'text' },
    });
    assert.equal(created.status, 201, await created.text());
    await signIn(e);
    assertClean(e, 'sign-in');
  });
  after(() => e?.close());

  it('the first page (profiles) renders within 1 s of navigation', async () => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      await e.page.goto(`${e.url}/#/profiles`);
      await e.page.reload();
      await e.page.waitForSelector('#profiles-table tbody tr');
      times.push(await e.page.evaluate(() => Math.round(performance.now())));
    }
    const best = Math.min(...times);
    console.log(`explorer first render (navigation start → profiles table with counts): ${times.join(' ms, ')} ms; best ${best} ms`);
    assert.ok(best < 1000, `first render took ${best} ms`);
    assertClean(e, 'profiles (reloads)');
  });

  const PAGES: readonly (readonly [string, string, string])[] = [
    ['profiles', '#/profiles', '#profiles-table tbody tr'],
    ['profile', '#/profile?id=cobalt-strike', '#description'],
    ['indicators', '#/indicators', '#indicators-table tbody tr'],
    ['profile-indicators', '#/indicators?profile=emerald-sleet', '#indicators-table tbody tr'],
    ['artifact-hostname', '#/artifact?id=fake-malicious.site&type=hostname', '#artifact-profiles li'],
    ['timeline', '#/timeline?profile=cobalt-strike', '#timeline-chart canvas'],
    ['import', '#/import', '#needs-write-token'],
    ['profile-xss', '#/profile?id=xss-tempest', '#kept'],
  ];
  for (const [name, hash, ready] of PAGES) {
    it(`${name} (${hash}) loads clean, passes axe and is saved as a screenshot`, async () => {
      await e.page.goto(`${e.url}/${hash}`);
      await e.page.waitForSelector(ready);
      await e.page.waitForLoadState('networkidle');
      await e.screenshot(`explorer-${name}`);
      const axe = await axeViolations(e.page);
      console.log(`axe on ${name}: ${axe.serious.length} serious/critical violations, ${axe.total} in all, ${axe.passes} rules passed`);
      assert.deepEqual(axe.serious, []);
      // the hostile profile: the CSP refuses its two handlers (img onerror, svg onload) as DOMPurify parses them
      if (name === 'profile-xss') assert.equal(assertOnlyCspRefusals(e, name), 2);
      else assertClean(e, name);
    });
  }

  it('an HTML description with <img onerror>, <script>, javascript: and <svg onload> renders inert', async () => {
    await e.page.goto(`${e.url}/#/profiles`);
    await e.page.waitForSelector('#profiles-table tbody tr');
    await e.page.goto(`${e.url}/#/profile?id=xss-tempest`);
    await e.page.waitForSelector('#kept');
    await e.page.waitForTimeout(300);
    const flags = await e.page.evaluate(() => ['__xssImg', '__xssScript', '__xssLink', '__xssSvg', '__xssMd'].filter((k) => k in window));
    assert.deepEqual(flags, []);
    assert.equal(await e.page.$$eval('#description img, #description script, #description svg, #summary script', (n) => n.length), 0);
    assert.equal(await e.page.textContent('#kept'), 'Plain words stay.');
    assert.equal(await e.page.$eval('#description b', (b) => b.textContent), 'words');
    assert.equal(await e.page.$eval('#js-link', (a) => a.getAttribute('href')), null);
    await e.page.click('#js-link');
    assert.deepEqual(await e.page.evaluate(() => ['__xssLink'].filter((k) => k in window)), []);
    // markdown through marked and DOMPurify; text shown as typed
    assert.equal(await e.page.$eval('#summary strong', (s) => s.textContent), 'markdown');
    assert.equal(await e.page.$eval('#tradecraft .rich', (d) => d.textContent), 'Text <b>not bold</b> & kept.');
    assert.equal(await e.page.$$eval('#tradecraft b', (n) => n.length), 0);
    assertOnlyCspRefusals(e, 'profile-xss');
  });

  it('keyboard: Tab reaches the search box, then a profile link, and Enter follows it', async () => {
    await e.page.goto(`${e.url}/#/profiles`);
    await e.page.waitForSelector('#profiles-table tbody tr');
    await e.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const focused = () => e.page.evaluate(() => ({ id: document.activeElement?.id ?? '', href: document.activeElement?.getAttribute('href') ?? '' }));
    let steps = 0;
    for (; steps < 30 && (await focused()).id !== 'profile-search'; steps++) await e.page.keyboard.press('Tab');
    assert.equal((await focused()).id, 'profile-search', `search box not reached in ${steps} Tabs`);
    let href = '';
    for (let i = 0; i < 30 && !href.startsWith('#/profile?'); i++) {
      await e.page.keyboard.press('Tab');
      href = (await focused()).href;
    }
    assert.equal(href, '#/profile?id=actinium');
    await e.page.keyboard.press('Enter');
    await e.page.waitForSelector('article.profile h1');
    assert.equal(await e.page.evaluate(() => location.hash), '#/profile?id=actinium');
    assert.equal(await e.page.textContent('article.profile h1'), 'ACTINIUM');
    assertClean(e, 'keyboard');
  });

  it('signing out forgets the token; a pasted token signs in again and is kept in sessionStorage only', async () => {
    await e.page.goto(`${e.url}/#/profiles`);
    await e.page.waitForSelector('#profiles-table tbody tr');
    await e.page.click('text=Sign out');
    await e.page.waitForSelector('#pasted-token');
    assert.equal(await e.page.textContent('main h1'), 'Sign in');
    assert.equal(await e.page.evaluate(() => sessionStorage.getItem('tigraph.token')), null);
    await e.page.fill('#pasted-token', e.readToken);
    await e.page.press('#pasted-token', 'Enter');
    await e.page.waitForSelector('#profiles-table tbody tr');
    assert.equal(await e.page.evaluate(() => sessionStorage.getItem('tigraph.token')), e.readToken);
    assert.equal(await e.page.evaluate(() => localStorage.length), 0);
    assert.deepEqual(await e.context.cookies(), []);
    assertClean(e, 'paste a token');
  });
});
