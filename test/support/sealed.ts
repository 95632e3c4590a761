import type { GraphQLResponse } from './hub';

type Errors = GraphQLResponse['body']['errors'];

/** The header stating a case purpose (`x-purpose: case:<number>`), URI-encoded (case numbers hold Chinese characters). */
export const casePurpose = (caseNo: string): Record<string, string> => ({ 'x-purpose': encodeURIComponent(`case:${caseNo}`) });

/** The errors that are not a sealed record's fields being withheld (刑事诉讼法 art. 286). */
export function notSealedErrors(errors: Errors): NonNullable<Errors> {
  return (errors ?? []).filter((e) => !(e.extensions?.code === 'FORBIDDEN_FIELD' && String(e.extensions?.reason).startsWith('the record is sealed')));
}

/** The positions in a connection (`list.edges.<i>…`) whose fields were withheld as sealed; the list must have no other error. */
export function sealedPositions(errors: Errors): number[] {
  const other = notSealedErrors(errors);
  if (other.length) throw new Error(`unexpected errors: ${JSON.stringify(other)}`);
  return [...new Set((errors ?? []).map((e) => e.path![2] as number))];
}
