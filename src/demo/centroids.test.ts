import { gridCentroid } from './centroids';
import { DEMO_SIZES, buildDemoCity } from './city';

describe('demo grid centroids', () => {
  const city = buildDemoCity(DEMO_SIZES.small);

  it('are a pure function of the seed and the grid code, to 5 decimals', () => {
    for (const grid of city.grids) {
      const point = gridCentroid(city.seed, grid.code);
      expect(gridCentroid(city.seed, grid.code)).toEqual(point);
      expect(Math.round(point.longitude * 1e5) / 1e5).toBe(point.longitude);
      expect(Math.round(point.latitude * 1e5) / 1e5).toBe(point.latitude);
    }
    expect(gridCentroid(city.seed + 1, city.grids[0].code)).not.toEqual(gridCentroid(city.seed, city.grids[0].code));
  });

  it('keep a township’s grids close together and distinct, around their district’s centre', () => {
    const byTownship = new Map<string, Array<{ longitude: number; latitude: number }>>();
    for (const grid of city.grids) byTownship.set(grid.townshipCode, [...(byTownship.get(grid.townshipCode) ?? []), gridCentroid(city.seed, grid.code)]);
    for (const points of byTownship.values()) {
      const lon = points.map((p) => p.longitude);
      const lat = points.map((p) => p.latitude);
      // Within 0.015° of one township point each way: at most 0.03° apart.
      expect(Math.max(...lon) - Math.min(...lon)).toBeLessThanOrEqual(0.03);
      expect(Math.max(...lat) - Math.min(...lat)).toBeLessThanOrEqual(0.03);
      expect(new Set(points.map((p) => `${p.longitude},${p.latitude}`)).size).toBe(points.length);
    }
    // Around the district centres of docs/domain.md: a township within 0.12°, a grid within 0.015° more.
    const centres: Record<string, [number, number]> = {
      '211402': [120.87, 40.77],
      '211403': [120.89, 40.74],
      '211404': [120.75, 41.1],
      '211421': [120.34, 40.33],
      '211422': [119.8, 40.82],
      '211481': [120.73, 40.61],
    };
    for (const grid of city.grids) {
      const p = gridCentroid(city.seed, grid.code);
      const [longitude, latitude] = centres[grid.districtCode];
      expect(Math.abs(p.longitude - longitude)).toBeLessThanOrEqual(0.135);
      expect(Math.abs(p.latitude - latitude)).toBeLessThanOrEqual(0.135);
    }
  });

  it('refuses a grid of a district it has no centre for', () => {
    expect(() => gridCentroid(city.seed, '210102001001')).toThrow(RangeError);
  });
});
