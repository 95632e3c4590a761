import type { EntityManager } from '@mikro-orm/postgresql';
import { CIVIL_TO_CRIMINAL_PROTOCOL, CIVIL_TO_CRIMINAL_WINDOW_MONTHS, civilToCriminalElement, STATISTICS_SERVICE } from '../../analytics/civilToCriminal';
import { psiSide, type PsiSide } from '../../analytics/psi';
import { psiSteps } from '../../analytics/psiSteps';

/**
 * The justice bureau's side of 民转刑 (src/analytics/civilToCriminal.ts): every mediation party,
 * once for each month of filing its mediation's window covers — from its own schema only, blinded
 * before anything leaves it. One group: the police's cases of any county may match any mediation.
 */
export async function mediationPartiesSide(em: EntityManager): Promise<PsiSide> {
  const rows = await em.getConnection().execute<Array<{ person_id: string; month: string }>>(
    `select distinct p.person_id, to_char(date_trunc('month', m.started_on) + make_interval(months => k), 'YYYY-MM') as month
       from justice.mediation_party p join justice.mediation_case m on m.id = p.mediation_id
       cross join generate_series(1, ?) as k`,
    [CIVIL_TO_CRIMINAL_WINDOW_MONTHS],
  );
  return psiSide(new Map([['', rows.map((r) => civilToCriminalElement(r.person_id, r.month))]]));
}

/** Its steps of 民转刑 for the statistics refresh: blind its set, reblind the police's (in this process only). */
export const civilToCriminalSteps = psiSteps({ protocol: CIVIL_TO_CRIMINAL_PROTOCOL, service: STATISTICS_SERVICE, side: mediationPartiesSide });
