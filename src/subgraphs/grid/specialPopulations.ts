import { DateType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Ctx, Directive, Field, FieldResolver, ID, ObjectType, Resolver, Root, registerEnumType } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { DateScalar } from '../../shared/scalars';
import { Grid, Person } from './entities';
import { inGrid } from './objects';

/** 特殊人群: the four groups a grid worker helps and watches, each under its own law and agency. */
export enum SpecialPopulationKind {
  RELEASED_PRISONER = 'RELEASED_PRISONER',
  COMMUNITY_CORRECTION = 'COMMUNITY_CORRECTION',
  SEVERE_MENTAL_ILLNESS = 'SEVERE_MENTAL_ILLNESS',
  DRUG_USER = 'DRUG_USER',
}
registerEnumType(SpecialPopulationKind, {
  name: 'SpecialPopulationKind',
  description: 'Which special population (特殊人群) a person belongs to: sensitive personal information (个人信息保护法 art. 28).',
  valuesConfig: {
    RELEASED_PRISONER: { description: 'Released from prison in the last five years, under 安置帮教 (刑满释放人员).' },
    COMMUNITY_CORRECTION: { description: 'Under community correction (社区矫正对象, 社区矫正法).' },
    SEVERE_MENTAL_ILLNESS: { description: 'A registered patient with a severe mental illness (严重精神障碍患者, 精神卫生法).' },
    DRUG_USER: { description: 'A registered drug user, in community drug rehabilitation or after it (吸毒人员, 禁毒法).' },
  },
});

@ObjectType({
  description:
    "A person of a special population (特殊人群) of the grid, as the grid worker keeps them. Found only inside the jurisdiction; who sees which kind is the policy's.",
})
@Directive('@key(fields: "id")')
@Entity({ tableName: 'special_population' })
export class SpecialPopulation {
  @Field(() => ID, { description: '`SP` + 8 digits.' })
  @PrimaryKey({ type: 'string', length: 10 })
  id!: string;

  @Index()
  @Property({ type: 'string', length: 33 })
  personId!: string;

  @Index()
  @Property({ type: 'string', length: 12 })
  gridCode!: string;

  @Field(() => SpecialPopulationKind, { nullable: true, description: 'Which special population; denied where the policy says so.' })
  @Enum({ items: () => SpecialPopulationKind, nativeEnumName: 'special_population_kind' })
  kind!: SpecialPopulationKind;

  @Field(() => DateScalar, { nullable: true, description: 'YYYY-MM-DD the grid took the person into its care.' })
  @Property({ type: DateType })
  registeredOn!: string;

  /** The agency whose statutory duty the person's management is (the policy's `parties`): justice, police or health (卫健). */
  @Property({ type: 'string', length: 16 })
  responsibleAgency!: string;

  @Field(() => String, { nullable: true, description: 'The help and management measures (帮扶管控措施), free text.' })
  @Property({ type: 'text' })
  measures!: string;
}

@Resolver(() => SpecialPopulation)
export class SpecialPopulationResolver {
  @FieldResolver(() => Person, { nullable: true, description: 'The person.' })
  person(@Root() s: SpecialPopulation, @Ctx() ctx: SubgraphContext): Promise<Person | null> {
    return ctx.loaders.one(Person, 'id').load(s.personId);
  }

  @FieldResolver(() => Grid, { nullable: true, description: 'The grid that looks after the person.' })
  grid(@Root() s: SpecialPopulation, @Ctx() ctx: SubgraphContext): Promise<Grid | null> {
    return ctx.loaders.one(Grid, 'code').load(s.gridCode);
  }
}

@Resolver(() => Grid)
export class GridSpecialPopulationsResolver {
  @FieldResolver(() => [SpecialPopulation], {
    nullable: true,
    description: "The grid's special populations (特殊人群), in id order: listed only inside the caller's jurisdiction.",
  })
  specialPopulations(@Root() grid: Grid, @Ctx() ctx: SubgraphContext): Promise<SpecialPopulation[]> {
    return ctx.em.find(SpecialPopulation, inGrid<SpecialPopulation>(ctx, 'SpecialPopulation', grid.code), { orderBy: { id: 'asc' } });
  }
}
