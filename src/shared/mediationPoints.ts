/** What the choice of a mediation point reads of each point. */
export interface PlacedPoint {
  id: string;
  townshipCode: string;
  districtCode: string;
}

const firstById = <P extends PlacedPoint>(points: readonly P[]): P | undefined =>
  points.reduce<P | undefined>((a, p) => (!a || p.id < a.id ? p : a), undefined);

/**
 * The mediation point a dispute sent to people's mediation goes to: the township's committee (its
 * first point by id), else the district's first point where none serves the township. One rule for
 * the justice bureau's effects (a grid dispute, a police or petition referral) and the demo city's
 * referrals, so the demo's cases sit where a live referral would put them.
 */
export function mediationPointFor<P extends PlacedPoint>(points: readonly P[], townshipCode: string): P | undefined {
  return firstById(points.filter((p) => p.townshipCode === townshipCode)) ?? firstById(points.filter((p) => p.districtCode === townshipCode.slice(0, 6)));
}
