import type { SubgraphContext } from '../../kit/context';
import { recordsOfPerson } from '../../kit/existing';
import { PetitionPerson, PetitionCase } from './entities';

/* Batched loads: one SQL statement per entity and query-plan step, however many records are asked for. */

/** xf.xf_person by its key (the reference resolver and `petitionPerson` share it). */
export function petitionPersonByKey(ctx: SubgraphContext) {
  return ctx.loaders.one(PetitionPerson, 'ryid');
}

/** The xf.xf_case records whose ryid is each key. */
export function petitionCasesByRyid(ctx: SubgraphContext) {
  return ctx.loaders.many(PetitionCase, 'ryid', { xfjbh: 'asc' });
}

/** The xf.xf_case records about each grid event (wgsjbh; added by hand). */
export function petitionCasesByWgsjbh(ctx: SubgraphContext) {
  return ctx.loaders.many(PetitionCase, 'wgsjbh', { xfjbh: 'asc' });
}

/** A person's xf.xf_person records, by the key computed from sfzh. */
export function petitionPersonsOfPerson(ctx: SubgraphContext) {
  return recordsOfPerson(ctx, PetitionPerson, 'sfzh', { ryid: 'asc' });
}

/** xf.xf_case by its key (the reference resolver and `petitionCase` share it). */
export function petitionCaseByKey(ctx: SubgraphContext) {
  return ctx.loaders.one(PetitionCase, 'xfjbh');
}
