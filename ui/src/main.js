// The intel explorer's shell: header, navigation, sign-in, and the page the URL names.
import { render } from 'preact';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './explorer.css';
import { useRoute } from './route.js';
import { onSessionChange, readToken } from './session.js';
import { SignInPanel } from './pages/sign-in-panel.js';
import { ProfilesPage } from './pages/profiles-page.js';
import { ProfilePage } from './pages/profile-page.js';
import { IndicatorsPage } from './pages/indicators-page.js';
import { ArtifactPage } from './pages/artifact-page.js';
import { TimelinePage } from './pages/timeline-page.js';
import { ImportPage } from './pages/import-page.js';

const PAGES = {
  profiles: ProfilesPage,
  profile: ProfilePage,
  indicators: IndicatorsPage,
  artifact: ArtifactPage,
  timeline: TimelinePage,
  import: ImportPage,
};

function App() {
  const route = useRoute();
  const [token, setToken] = useState(readToken());
  useEffect(() => onSessionChange(() => setToken(readToken())), []);
  const Page = PAGES[route.page];
  const nav = [
    ['profiles', 'Profiles'],
    ['indicators', 'Indicators'],
    ['import', 'Import'],
  ];
  return html`
    <header class="top">
      <a class="brand" href="#/profiles">tigraph intel explorer</a>
      <nav aria-label="Main">
        <ul>
          ${nav.map(([p, label]) => html`<li><a href=${`#/${p}`} aria-current=${route.page === p ? 'page' : undefined}>${label}</a></li>`)}
        </ul>
      </nav>
      <${SignInPanel} signedIn=${!!token} />
    </header>
    <main id="main">
      ${!Page
        ? html`<h1>Not found</h1><p>No page is called “${route.page}”. <a href="#/profiles">Go to the profiles</a>.</p>`
        : token || route.page === 'import'
          ? html`<${Page} key=${route.page} params=${route.params} />`
          : html`<h1>Sign in</h1><p>The explorer reads intel through the API with your token: sign in above.</p>`}
    </main>
  `;
}

render(html`<${App} />`, document.getElementById('app'));
