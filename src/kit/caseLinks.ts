import { Arg, Ctx, Directive, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { inJurisdiction, type Viewer } from '../auth/viewer';
import { badInput } from '../shared/errors';
import type { SubgraphContext } from './context';

/**
 * One case record a department holds, as the gateway's case check sees it: whether the caller
 * handles it, and the keys it links to (the stage before it, its persons). Never a name or an ID
 * number: case numbers and opaque person keys only.
 */
@ObjectType({ description: "Internal: a case record and its links, for the gateway's purpose check." })
@Directive('@shareable')
@Directive('@inaccessible')
export class CaseLink {
  @Field({ description: "The record's own case number (or id)." })
  caseNo!: string;

  @Field({ description: "The caller's agency handles this record (its unit, or the caller in person)." })
  handled!: boolean;

  @Field(() => [String], { description: 'Case numbers of the stages it links to: the gateway asks about them in turn.' })
  linked!: string[];

  @Field(() => [String], {
    description: 'Keys that join the journey without being a stage of it — its persons, the incident it came from: never asked about.',
  })
  related!: string[];
}

/** A department's answer to "which of these keys are your cases, and what do they link to?". */
export type CaseLinkFinder = (keys: string[], ctx: SubgraphContext) => Promise<CaseLink[]>;

const MAX_KEYS = 500;

/** Whether `viewer` of `agency` handles a record held in `code` by `handler`: their unit's jurisdiction, or themselves. */
export function handledBy(viewer: Viewer, agency: Viewer['agency'], code: string, handler: string | null): boolean {
  return viewer.agency === agency && (inJurisdiction(viewer, code) || handler === viewer.sub);
}

/** `caseLinks`, answered by every department from its own tables (none: no cases here). */
export function caseLinksResolver(find: CaseLinkFinder | undefined): Function {
  @Resolver()
  class CaseLinksResolver {
    @Query(() => [CaseLink], { description: 'Internal (gateway only): the records among `keys` this department holds, with their links.' })
    @Directive('@shareable')
    @Directive('@inaccessible')
    async caseLinks(@Arg('keys', () => [String]) keys: string[], @Ctx() ctx: SubgraphContext): Promise<CaseLink[]> {
      if (keys.length > MAX_KEYS) throw badInput('keys', `at most ${MAX_KEYS} keys`);
      return find ? find([...new Set(keys)], ctx) : [];
    }
  }
  return CaseLinksResolver;
}
