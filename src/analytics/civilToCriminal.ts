/*
 * 民转刑 (disputes that became criminal cases), the project's own definition (no statute or
 * official statistic fixes one; docs/analytics.md): the criminal cases filed in a county and year
 * with a suspect who was a party of a people's mediation started in the twelve calendar months
 * before the month of filing. Counted by PSI-CA (`psi.ts`) between the justice bureau and the
 * police, so what is counted is a set of elements both hold: (suspect, month of filing) on the
 * police's side, (party, each month its mediation's window covers) on the justice bureau's.
 */

/** A mediation started in month m counts for cases filed in months m + 1 … m + 12. */
export const CIVIL_TO_CRIMINAL_WINDOW_MONTHS = 12;

/** The statistic's name in the police's `statistics_release`. */
export const CIVIL_TO_CRIMINAL = 'civilToCriminal';

/** An element of either side's set: a person key and a month of filing (YYYY-MM). */
export const civilToCriminalElement = (personKey: string, month: string) => `${personKey}|${month}`;

/** The protocol's internal steps are `civil-to-criminal/<step>` on the justice bureau and the police (`psiSteps.ts`). */
export const CIVIL_TO_CRIMINAL_PROTOCOL = 'civil-to-criminal';

/** The hub service that coordinates 民转刑 (`hub stats refresh`): the only caller of its steps. */
export const STATISTICS_SERVICE = 'statistics-refresh';
