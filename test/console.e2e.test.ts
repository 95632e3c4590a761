import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { CONSOLE_EXAMPLES } from '../console/examples';
import { startGateway, type RunningGateway } from '../src/gateway/server';
import { readSupergraph } from '../src/cli/compose';
import { gatewayOptions } from '../src/cli/runtime';
import { loadConfig } from '../src/shared/config';
import { applyMask } from '../src/policy/masking';
import { repoRoot } from '../src/shared/paths';
import { launchBrowser, type TestBrowser } from './support/browser';
import { startTestHub, type TestHub } from './support/hub';

/**
 * The console as a person uses it, in Debian's Chromium: pick an agency, open the person view,
 * run it, switch to a grid worker of another grid, run it again, then compare side by side.
 */
const SCREENSHOT = join(repoRoot, 'test-artifacts', 'console.png');
const personView = CONSOLE_EXAMPLES.find((x) => x.name === 'PersonView')!;
const statistics = CONSOLE_EXAMPLES.find((x) => x.name === 'DistrictStatistics')!;
const idNumber = personView.variables.idNumber as string;

let t: TestHub;
let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
  t = await startTestHub();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

type PersonAnswer = { data: { personByIdNumber: { idNumber: string | null; name: string } } };

/** Clicks GraphiQL's run button and returns the gateway's answer to that operation. */
async function run(page: Page, operation: string): Promise<PersonAnswer> {
  const answer = page.waitForResponse(
    (r: Response) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes(`"operationName":"${operation}"`),
    { timeout: 30_000 },
  );
  await page.click('.graphiql-execute-button');
  return (await (await answer).json()) as PersonAnswer;
}

async function actAs(page: Page, agency: string, jurisdiction: string): Promise<void> {
  await page.selectOption('[data-testid=agency]', agency);
  await page.fill('[data-testid=jurisdiction]', jurisdiction);
  // The page shows who it acts as once the gateway has issued the token.
  await page
    .locator('[data-testid=who]', { hasText: new RegExp(`^acting as ${agency === 'grid' ? 'grid worker' : agency}.*${jurisdiction}`) })
    .waitFor({ timeout: 15_000 });
}

/**
 * Checks GraphiQL's response pane shows `text`. Monaco renders only the lines in view, and the
 * policy's errors come before the data, so the pane is scrolled down a step at a time.
 */
async function responseShows(page: Page, text: string): Promise<boolean> {
  const pane = page.locator('.graphiql-response');
  await pane.locator('.view-lines').waitFor({ timeout: 10_000 });
  await pane.hover();
  await page.mouse.wheel(0, -100_000);
  // Monaco renders only the visible lines: scroll through the answer until the text shows (bounded).
  for (let step = 0; step < 150; step++) {
    if (await pane.locator('.view-lines', { hasText: text }).count()) return true;
    await page.mouse.wheel(0, 200);
    await page.waitForTimeout(100);
  }
  return false;
}

describe('console (GraphiQL) in Chromium', () => {
  it("switches agency, runs the person view, shows the ID number in full to police and the grid worker of the person's district and grid, masked to police of another district", async () => {
    const person = t.city.persons.find((p) => p.idNumber === idNumber)!;
    const otherDistrict = '211481';
    const page = await browser.context.newPage();
    await page.goto(t.hub.consoleUrl);
    await page.waitForSelector('[data-testid=agency]', { timeout: 30_000 });
    // An example opens in a tab of its own, next to the four a first visit opens with.
    const tabs = await page.locator('.graphiql-tab').count();
    await page.selectOption('[data-testid=examples]', personView.name);
    expect(await page.locator('.graphiql-tab').count()).toBe(tabs + 1);

    await actAs(page, 'police', '211402');
    const asPolice = await run(page, personView.name);
    expect(asPolice.data.personByIdNumber).toMatchObject({ name: person.name, idNumber });
    expect(await responseShows(page, idNumber)).toBe(true);

    // The grid worker of the person's own grid (grid workers find nobody outside their grids).
    await actAs(page, 'grid', person.gridCode);
    const asGrid = await run(page, personView.name);
    expect(asGrid.data.personByIdNumber.idNumber).toBe(idNumber);

    // Police of another district, with no case stated: identity masked.
    await actAs(page, 'police', otherDistrict);
    const asOtherPolice = await run(page, personView.name);
    const masked = applyMask('idNumber', idNumber) as string;
    expect(asOtherPolice.data.personByIdNumber.idNumber).toBe(masked);
    expect(masked).not.toBe(idNumber);
    expect(await responseShows(page, masked)).toBe(true);

    // Side by side: the same operation as police (of the other district) and as the grid worker (of the person's grid).
    await page.click('[data-testid=compare-open]');
    await page.click('[data-testid=compare-run]');
    await page.waitForSelector('[data-testid=compare-police] .hub-masked', { timeout: 20_000 });
    const policeColumn = (await page.textContent('[data-testid=compare-police]'))!;
    expect(policeColumn).toContain(masked);
    expect(policeColumn).not.toContain(idNumber);
    expect(await page.textContent('[data-testid=compare-grid]')).toContain(idNumber);
    expect(await page.textContent('[data-testid=compare-justice]')).toContain('denied');

    mkdirSync(join(repoRoot, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    process.stdout.write(`console screenshot: ${SCREENSHOT}\n`);
    expect(browser.refused).toEqual([]);
    await page.close();
  }, 120_000);

  it('refuses a jurisdiction outside the city, counts withheld statistics side by side, downloads them as CSV and copies the request as cURL', async () => {
    const page = await browser.context.newPage();
    await page.goto(t.hub.consoleUrl);
    await page.waitForSelector('[data-testid=agency]', { timeout: 30_000 });
    await page.selectOption('[data-testid=examples]', statistics.name);
    await actAs(page, 'analyst', '211400');

    // 999999 is no division of the city: refused, and the console keeps acting as before.
    await page.fill('[data-testid=jurisdiction]', '999999');
    expect(await page.textContent('[data-testid=jurisdiction-problem]')).toContain('999999: not 葫芦岛市 (211400)');
    expect(await page.getAttribute('[data-testid=jurisdiction]', 'class')).toContain('hub-invalid');
    expect(await page.textContent('[data-testid=who]')).toMatch(/^acting as analyst.*211400/);
    await page.fill('[data-testid=jurisdiction]', '211400');

    // The analyst's small counts are withheld: the comparison counts them as the answer names them.
    const asAnalyst = await t.query<{ district: Record<string, { suppressedFields?: string[] } | string> }>('analyst', statistics.query, statistics.variables);
    const withheld = Object.values(asAnalyst.body.data!.district).reduce(
      (n, v) => n + (typeof v === 'object' && v?.suppressedFields ? v.suppressedFields.length : 0),
      0,
    );
    expect(withheld).toBeGreaterThan(0);
    await page.click('[data-testid=compare-open]');
    await page.locator('[data-testid=compare-panel] label', { hasText: 'analyst' }).locator('input').check();
    await page.click('[data-testid=compare-run]');
    await page.waitForSelector('[data-testid=compare-analyst]', { timeout: 20_000 });
    expect(await page.textContent('[data-testid=compare-analyst] .hub-counts')).toContain(`${withheld} withheld`);
    expect(await page.locator('[data-testid=compare-analyst] .hub-tree .hub-withheld').count()).toBe(withheld);
    expect(await page.textContent('[data-testid=compare-police] .hub-counts')).toContain('0 withheld');
    await page.screenshot({ path: join(repoRoot, 'test-artifacts', 'console-statistics.png') });

    // CSV of the district in the variables, withheld cells marked.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.click('[data-testid=csv]')]);
    expect(download.suggestedFilename()).toBe('statistics_districts_211402_2025-01-01_2025-12-31.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toMatch(/^\uFEFF区划代码,名称,网格·上报事件/);
    expect(csv).toContain('211402,连山区,');
    expect(csv).toContain('* 不公开');

    // Copy as cURL: the same request from a terminal gets the same answer.
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(t.hub.consoleUrl).origin });
    await page.click('[data-testid=copy-curl]');
    await page.locator('[data-testid=curl-status]', { hasText: 'copied' }).waitFor({ timeout: 10_000 });
    const curl = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(curl).toMatch(
      /^curl -s 'http:\/\/127\.0\.0\.1:\d+\/graphql' \\\n {2}-H 'content-type: application\/json' \\\n {2}-H 'authorization: Bearer [\w-]+\.[\w-]+\.[\w-]+'/,
    );
    // Replayed as the shell would read it: each argument single-quoted, ' written as '\''.
    const [url, ...rest] = curl.split(' \\\n  ').map((part) => part.replace(/^(curl -s|-H|-d) '(.*)'$/s, '$2').replace(/'\\''/g, "'"));
    const body = rest.pop()!;
    const headers = Object.fromEntries(rest.map((h) => [h.slice(0, h.indexOf(':')), h.slice(h.indexOf(':') + 2)]));
    const fromTerminal = (await (await fetch(url, { method: 'POST', headers, body })).json()) as typeof asAnalyst.body;
    expect(fromTerminal.data).toEqual(asAnalyst.body.data);
    expect(browser.refused).toEqual([]);
    await page.close();
  }, 120_000);

  it('charts the statistics answer, withheld figures listed and not drawn, and writes a query from the explorer', async () => {
    const page = await browser.context.newPage();
    await page.goto(t.hub.consoleUrl);
    await page.waitForSelector('[data-testid=agency]', { timeout: 30_000 });
    await page.selectOption('[data-testid=examples]', statistics.name);
    await actAs(page, 'analyst', '211400');
    const answer = (await run(page, 'DistrictStatistics')) as unknown as { data: { district: Record<string, unknown> } };
    // What the chart must show: each department's figures, those withheld (null, named in suppressedFields) apart.
    let drawn = 0;
    let withheld = 0;
    for (const v of Object.values(answer.data.district)) {
      if (!v || typeof v !== 'object') continue;
      const suppressed = new Set((v as { suppressedFields: string[] }).suppressedFields);
      for (const [k, x] of Object.entries(v)) {
        if (k === 'suppressedFields') continue;
        if (typeof x === 'number' && !suppressed.has(k)) drawn++;
        else if (x === null || suppressed.has(k)) withheld++;
      }
    }
    expect(withheld).toBeGreaterThan(0);
    await page.click('[data-testid=chart-open]');
    await page.locator('[data-testid=chart-summary]', { hasText: `${drawn} figures drawn, ${withheld} withheld` }).waitFor({ timeout: 10_000 });
    expect(await page.textContent('[data-testid=chart-withheld]')).toContain('policeStatistics.');
    // Something is drawn on the canvas (chart.js, bundled: no request leaves the page).
    // Evaluated in the page (a string: the test's own TypeScript has no DOM types).
    const painted = await page.evaluate<number>(`(() => {
      const canvas = document.querySelector('[data-testid=chart-canvas]');
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) n++;
      return n;
    })()`);
    expect(painted).toBeGreaterThan(1000);
    await page.screenshot({ path: join(repoRoot, 'test-artifacts', 'console-chart.png') });

    // The explorer: ticking a root field writes it into the query.
    await page.click('.graphiql-sidebar button[aria-label="Show GraphiQL Explorer"]');
    const explorer = page.locator('.graphiql-explorer-root');
    await explorer.waitFor({ timeout: 10_000 });
    await explorer.getByText('districts', { exact: true }).first().click();
    await page.locator('.graphiql-query-editor .view-lines', { hasText: 'districts' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(repoRoot, 'test-artifacts', 'console-explorer.png') });
    expect(browser.refused).toEqual([]);
    await page.close();
  }, 120_000);

  it("statistics page: monthly charts and the hotspot map on the city outline for a police officer of 连山区; for the analyst the release, withheld figures listed, and the map of grid's release of the year, withheld grids as rings; no map but the graph's message without a whole year", async () => {
    const year = { from: '2025-01-01', to: '2025-12-31' };
    const SERIES = `query ($code: String!, $from: Date!, $to: Date!) {
      district(code: $code) { monthly(from: $from, to: $to) { month policeStatistics {
        incidents casesFiled casesTransferred incidentsPer10000Residents casesFiledPer10000Residents suppressedFields } } } }`;
    type Month = { month: string; policeStatistics: Record<string, number | null> & { suppressedFields: string[] } };
    /** What the page must draw and list: each figure's values that are numbers and not withheld, and the withheld ones. */
    const expected = async (agency: 'police' | 'analyst') => {
      const res = await t.query<{ district: { monthly: Month[] } }>(agency, SERIES, { code: '211402', ...year });
      expect(res.body.errors).toBeUndefined();
      let drawn = 0;
      let withheld = 0;
      for (const { policeStatistics: s } of res.body.data!.district.monthly) {
        for (const [k, v] of Object.entries(s)) {
          if (k === 'suppressedFields') continue;
          if (s.suppressedFields.includes(k)) withheld++;
          else if (typeof v === 'number') drawn++;
        }
      }
      return { drawn, withheld, incidents: res.body.data!.district.monthly.filter((m) => typeof m.policeStatistics.incidents === 'number').length };
    };
    /** Non-transparent pixels of a canvas (evaluated in the page: the test's TypeScript has no DOM types). */
    const painted = (selector: string) =>
      page.evaluate<number>(`(() => {
        const canvas = document.querySelector(${JSON.stringify(selector)});
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) n++;
        return n;
      })()`);
    const showDistrict = async () => {
      await page.locator('[data-testid=stats-division] option[value="211402"]').waitFor({ state: 'attached', timeout: 20_000 });
      await page.selectOption('[data-testid=stats-division]', '211402');
      await page.click('[data-testid=stats-run]');
    };

    const page = await browser.context.newPage();
    await page.goto(t.hub.consoleUrl);
    await page.waitForSelector('[data-testid=agency]', { timeout: 30_000 });

    // A police officer of 连山区. The page opens on the city: its series is outside the officer's
    // jurisdiction, and of the six districts mapped only 连山区's grids come back.
    type Hotspots = { hotspots: { features: Array<{ properties: { gridCode: string; events: number | null; suppressedFields: string[] } }> } };
    const HOTSPOTS =
      'query ($code: String!, $from: Date!, $to: Date!) { hotspots(divisionCode: $code, from: $from, to: $to) { features { properties { gridCode events suppressedFields } } } }';
    const hotspots = await t.query<Hotspots>('police', HOTSPOTS, { code: '211402', ...year });
    const grids = hotspots.body.data!.hotspots.features.length;
    await actAs(page, 'police', '211402');
    await page.click('[data-testid=stats-open]');
    await page.locator('[data-testid=stats-map-summary]', { hasText: `: ${grids} grids,` }).waitFor({ timeout: 20_000 });
    expect(await page.textContent('[data-testid=stats-map-problem]')).toContain('outside your jurisdiction');
    expect(await page.textContent('[data-testid=stats-series-problem]')).toContain('outside your jurisdiction');

    // The district itself: exact figures, every month drawn, nothing withheld; its grids on the map.
    await showDistrict();
    const officer = await expected('police');
    expect(officer.withheld).toBe(0);
    await page.locator('[data-testid=stats-summary]', { hasText: `12 months, ${officer.drawn} values drawn, 0 withheld` }).waitFor({ timeout: 20_000 });
    expect(await page.getAttribute('[data-testid=stats-figure-incidents]', 'data-drawn')).toBe(String(officer.incidents));
    expect(await painted('[data-testid=stats-figure-incidents] canvas')).toBeGreaterThan(500);
    expect(await page.locator('[data-testid=stats-withheld]').count()).toBe(0);

    const officerGrids = hotspots.body.data!.hotspots.features.map((f) => f.properties);
    // An officer's counts are exact: never withheld.
    expect(officerGrids.every((p) => typeof p.events === 'number' && !p.suppressedFields.length)).toBe(true);
    const busy = officerGrids.filter((p) => p.events! > 0);
    expect(busy.length).toBeGreaterThan(0);
    // The same grids as the city's map gave, now without the other districts' refusals.
    await page.locator('[data-testid=stats-map-problem]').waitFor({ state: 'detached', timeout: 20_000 });
    expect(await page.textContent('[data-testid=stats-map-summary]')).toContain(`Grid events 2025: ${grids} grids, ${busy.length} with events, 0 withheld`);
    expect(await page.textContent('[data-testid=stats-map-note]')).toContain('2025 mapped (the last whole calendar year picked); 0 grids withheld');
    // The bundled outline: the city and its six counties, drawn by Leaflet as SVG paths; one circle per grid with events.
    expect(await page.locator('[data-testid=stats-map] path.hub-map-city').count()).toBe(1);
    expect(await page.locator('[data-testid=stats-map] path.hub-map-county').count()).toBe(6);
    expect(await page.locator('[data-testid=stats-map] path.hub-hotspot').count()).toBe(busy.length);
    // The busiest grid is drawn last (on top): its popup names the grid and its count.
    const busiest = [...busy].sort((a, b) => a.events! - b.events!).at(-1)!;
    await page.locator('[data-testid=stats-map] path.hub-hotspot').last().click({ force: true });
    await page.locator('.leaflet-popup-content', { hasText: busiest.gridCode }).waitFor({ timeout: 10_000 });
    expect(await page.textContent('.leaflet-popup-content')).toContain(`${busiest.events} events`);
    // The popup pans the map to fit (an animated pan): let it settle before the screenshot.
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(repoRoot, 'test-artifacts', 'console-statistics-page.png') });

    // The analyst (city-wide): the release of 连山区, small counts withheld and listed, never drawn;
    // the map of grid's release of 2025, each withheld grid a hollow ring (never a 0), counted under the map.
    const released = await t.query<Hotspots>('analyst', HOTSPOTS, { code: '211402', ...year });
    expect(released.body.errors).toBeUndefined();
    const releasedGrids = released.body.data!.hotspots.features.map((f) => f.properties);
    expect(releasedGrids.length).toBe(grids);
    const releasedBusy = releasedGrids.filter((p) => p.events !== null && p.events > 0);
    const withheldGrids = releasedGrids.filter((p) => p.events === null);
    expect(withheldGrids.length).toBeGreaterThan(0);
    expect(withheldGrids.every((p) => p.suppressedFields.includes('events'))).toBe(true);
    await actAs(page, 'analyst', '211400');
    await showDistrict();
    const analyst = await expected('analyst');
    expect(analyst.withheld).toBeGreaterThan(0);
    await page
      .locator('[data-testid=stats-summary]', { hasText: `12 months, ${analyst.drawn} values drawn, ${analyst.withheld} withheld` })
      .waitFor({ timeout: 20_000 });
    expect(await page.textContent('[data-testid=stats-withheld]')).toContain('policeStatistics.');
    await page
      .locator('[data-testid=stats-map-summary]', {
        hasText: `Grid events 2025: ${grids} grids, ${releasedBusy.length} with events, ${withheldGrids.length} withheld`,
      })
      .waitFor({ timeout: 20_000 });
    expect(await page.textContent('[data-testid=stats-map-note]')).toContain(
      `2025 mapped (the last whole calendar year picked); ${withheldGrids.length} grids withheld`,
    );
    expect(await page.locator('[data-testid=stats-map-problem]').count()).toBe(0);
    expect(await page.locator('[data-testid=stats-map] path.hub-map-city').count()).toBe(1);
    expect(await page.locator('[data-testid=stats-map] path.hub-map-county').count()).toBe(6);
    expect(await page.locator('[data-testid=stats-map] path.hub-hotspot').count()).toBe(releasedBusy.length);
    expect(await page.locator('[data-testid=stats-map] path.hub-grid-withheld').count()).toBe(withheldGrids.length);
    expect(await page.locator('[data-testid=stats-map] path.hub-grid-quiet').count()).toBe(releasedGrids.length - releasedBusy.length - withheldGrids.length);
    // A withheld grid's popup says so, with no count. The rings are drawn first, in grid-code order; a
    // small ring may lie under a hotspot's circle, so the click is dispatched on the ring itself.
    await page.locator('[data-testid=stats-map] path.hub-grid-withheld').first().dispatchEvent('click');
    await page.locator('.leaflet-popup-content', { hasText: withheldGrids[0].gridCode }).waitFor({ timeout: 10_000 });
    expect(await page.textContent('.leaflet-popup-content')).toContain('withheld (small count)');
    expect(await page.textContent('.leaflet-popup-content')).not.toMatch(/\d+ events/);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(repoRoot, 'test-artifacts', 'console-statistics-analyst.png') });

    // Months that hold no whole calendar year: the graph refuses the analyst's map, and its message stands in place of the map.
    await page.fill('[data-testid=stats-from]', '2025-03');
    await page.fill('[data-testid=stats-to]', '2025-05');
    await page.click('[data-testid=stats-run]');
    await page.locator('[data-testid=stats-map-problem]', { hasText: 'whole released calendar years' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid=stats-map]').count()).toBe(0);
    expect(await page.locator('[data-testid=stats-map-note]').count()).toBe(0);
    // Nothing left 127.0.0.1: no tiles, no fonts, no scripts from elsewhere (the browser aborts and records any such request).
    expect(browser.refused).toEqual([]);
    await page.close();
  }, 120_000);

  it("shows the policy as a matrix: each sensitive field of a type × each agency, the rule as that agency's myPermissions states it", async () => {
    const page = await browser.context.newPage();
    await page.goto(t.hub.consoleUrl);
    await page.waitForSelector('[data-testid=agency]', { timeout: 30_000 });
    await page.click('[data-testid=permissions-open]');
    await page.fill('[data-testid=permissions-type]', 'Person');
    await page.click('[data-testid=permissions-run]');
    await page.waitForSelector('[data-testid=permissions-matrix]', { timeout: 20_000 });
    const agencies = await page.locator('[data-testid=permissions-matrix] thead th').allTextContents();
    expect(agencies.slice(1)).toEqual(expect.arrayContaining(['police', 'grid', 'justice', 'analyst']));
    for (const agency of ['police', 'grid', 'analyst'] as const) {
      const own = await t.query<{ myPermissions: { fields: Array<{ field: string; rule: string }> } }>(
        agency,
        'query ($type: String!) { myPermissions(type: $type) { fields { field rule } } }',
        { type: 'Person' },
      );
      const rule = own.body.data!.myPermissions.fields.find((f) => f.field === 'idNumber')!.rule;
      expect({ agency, cell: await page.textContent(`[data-testid=permissions-matrix] tr[data-field=idNumber] td[data-agency=${agency}]`) }).toEqual({
        agency,
        cell: rule,
      });
    }
    await page.screenshot({ path: join(repoRoot, 'test-artifacts', 'console-permissions.png') });
    expect(browser.refused).toEqual([]);
    await page.close();
  }, 60_000);

  describe('in production mode', () => {
    let gateway: RunningGateway;
    beforeAll(async () => {
      // The same subgraphs behind a gateway without a dev key: what production mode is to the console.
      gateway = await startGateway({
        ...gatewayOptions(loadConfig({ HUB_DATA_DIR: t.dataDir }), { ...t.hub.keys, devCallerSigningKey: undefined }),
        port: 0,
        opsPort: 0,
        supergraphSdl: readSupergraph(),
        subgraphUrls: t.subgraphUrls,
        subgraphOpsUrls: t.subgraphOpsUrls,
      });
    });
    afterAll(async () => {
      await gateway?.stop();
    });

    it('asks for a token, offers no dev identities, and runs queries with the pasted token', async () => {
      const page = await browser.context.newPage();
      const devRequests: string[] = [];
      page.on('request', (r) => {
        if (new URL(r.url()).pathname.startsWith('/dev/')) devRequests.push(r.url());
      });
      await page.goto(gateway.consoleUrl);
      await page.waitForSelector('[data-testid=token]', { timeout: 30_000 });
      expect(await page.locator('[data-testid=agency]').count()).toBe(0);
      expect(await page.locator('[data-testid=compare-open]').count()).toBe(0);
      expect(await page.textContent('[data-testid=who]')).toContain('no token yet');

      await page.fill('[data-testid=token]', await t.token('police'));
      await page.selectOption('[data-testid=examples]', personView.name);
      const answer = await run(page, personView.name);
      expect(answer.data.personByIdNumber.idNumber).toBe(idNumber);
      expect(devRequests).toEqual([]);
      await page.close();
    }, 60_000);
  });
});
