import { Arg, Args, Ctx, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { personKeyOf } from '../../kit/existing';
import { stubOf } from '../../kit/extends';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { rowScope } from '../../kit/scope';
import { PetitionPerson, PetitionCase } from './entities';
import { petitionCaseByKey, petitionCasesByRyid, petitionCasesByWgsjbh, petitionPersonByKey, petitionPersonsOfPerson } from './loaders';
import { GridEvent, Person } from './extends';

@ObjectType({ description: 'A page of petitioners (Relay connection).' })
class PetitionPersonConnection extends ConnectionType(PetitionPerson, 'PetitionPerson') {}

@Resolver(() => PetitionPerson)
export class PetitionPersonResolver {
  @Query(() => PetitionPerson, { nullable: true, description: 'One record of xf.xf_person by its key.' })
  petitionPerson(
    @Arg('ryid', () => ID, { description: "人员编号: the petitioner's number in the bureau's system." }) ryid: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PetitionPerson | null> {
    return petitionPersonByKey(ctx).load(ryid);
  }

  @Query(() => PetitionPersonConnection, { description: 'The records of xf.xf_person, in key order.' })
  petitionPersons(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: SubgraphContext): Promise<PetitionPersonConnection> {
    // The policy's rowScope (once it names a scope column and the viewer's agency) limits the list in SQL.
    return paginate(ctx, PetitionPerson, rowScope<PetitionPerson>(ctx, 'PetitionPerson'), page, { columns: ['ryid'], direction: 'asc' });
  }

  @FieldResolver(() => Person, { nullable: true, description: 'The person (owned by grid) whose ID number is in sfzh; null when it is not a valid ID number.' })
  person(@Root() record: PetitionPerson, @Ctx() ctx: SubgraphContext): Person | null {
    const key = personKeyOf(ctx, record.sfzh);
    return key ? stubOf(Person, { id: key }) : null;
  }

  @FieldResolver(() => [PetitionCase], { nullable: true, description: 'The xf.xf_case records whose ryid is this one.' })
  petitionCases(@Root() record: PetitionPerson, @Ctx() ctx: SubgraphContext): Promise<PetitionCase[]> {
    return petitionCasesByRyid(ctx).load(record.ryid);
  }
}

@ObjectType({ description: 'A page of petitions (Relay connection).' })
class PetitionCaseConnection extends ConnectionType(PetitionCase, 'PetitionCase') {}

@Resolver(() => PetitionCase)
export class PetitionCaseResolver {
  @Query(() => PetitionCase, { nullable: true, description: 'One record of xf.xf_case by its key.' })
  petitionCase(
    @Arg('xfjbh', () => ID, { description: "信访件编号: the petition's number in the bureau's system." }) xfjbh: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PetitionCase | null> {
    return petitionCaseByKey(ctx).load(xfjbh);
  }

  @Query(() => PetitionCaseConnection, { description: 'The records of xf.xf_case, in key order.' })
  petitionCases(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: SubgraphContext): Promise<PetitionCaseConnection> {
    // The policy's rowScope (once it names a scope column and the viewer's agency) limits the list in SQL.
    return paginate(ctx, PetitionCase, rowScope<PetitionCase>(ctx, 'PetitionCase'), page, { columns: ['xfjbh'], direction: 'asc' });
  }

  @FieldResolver(() => PetitionPerson, { nullable: true, description: 'The xf.xf_person record of ryid.' })
  petitionPerson(@Root() record: PetitionCase, @Ctx() ctx: SubgraphContext): Promise<PetitionPerson | null> {
    return petitionPersonByKey(ctx).load(record.ryid);
  }

  // Added by hand (访调对接): the grid event the petition is about, resolved by grid from its key.
  @FieldResolver(() => GridEvent, { nullable: true, description: 'The grid event (owned by grid) the petition is about (wgsjbh), if the grid handles it.' })
  gridEvent(@Root() record: PetitionCase): GridEvent | null {
    return record.wgsjbh ? stubOf(GridEvent, { id: record.wgsjbh }) : null;
  }
}

/** What petition adds to `GridEvent` (owned by grid; added by hand): the petitions about the event. */
@Resolver(() => GridEvent)
export class GridEventPetitionResolver {
  @FieldResolver(() => [PetitionCase], { nullable: true, description: 'Petitions (信访件) about this event (访调对接).' })
  petitionCases(@Root() event: GridEvent, @Ctx() ctx: SubgraphContext): Promise<PetitionCase[]> {
    return petitionCasesByWgsjbh(ctx).load(event.id);
  }
}

/** What petition adds to `Person` (owned by grid): its records of the person, found by the key alone. */
@Resolver(() => Person)
export class PersonPetitionResolver {
  @FieldResolver(() => [PetitionPerson], { nullable: true, description: "The person's xf.xf_person records (by the ID number in sfzh)." })
  petitionPersons(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<PetitionPerson[]> {
    return petitionPersonsOfPerson(ctx).load(person.id);
  }
}
