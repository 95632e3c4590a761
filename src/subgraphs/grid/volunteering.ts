import { DateType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Arg, Args, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context';
import { ConnectionType, PageArgs, paginate } from '../../kit/pagination';
import { badInput } from '../../shared/errors';
import { DateScalar } from '../../shared/scalars';
import { checkCode } from '../../shared/validate';
import { District, DivisionLevel } from './entities';

/*
 * Volunteer service (志愿服务): the projects the volunteer groups run and the activities they hold.
 * Records of public service, with no person in them (the volunteers are `Volunteer`, ruled apart):
 * open to the agencies that work with volunteers in every district, as the groups publish them.
 */

export enum VolunteerTheme {
  SAFETY_PATROL = 'SAFETY_PATROL',
  DISPUTE_MEDIATION = 'DISPUTE_MEDIATION',
  LEGAL_PUBLICITY = 'LEGAL_PUBLICITY',
  CARE_AND_HELP = 'CARE_AND_HELP',
  ANTI_DRUG = 'ANTI_DRUG',
  FIRE_SAFETY = 'FIRE_SAFETY',
}
registerEnumType(VolunteerTheme, {
  name: 'VolunteerTheme',
  description: 'What a volunteer service project does.',
  valuesConfig: {
    SAFETY_PATROL: { description: 'Patrols with the police (平安巡防).' },
    DISPUTE_MEDIATION: { description: 'Finding and settling neighbourhood disputes with the mediation committees (矛盾纠纷化解).' },
    LEGAL_PUBLICITY: { description: 'Legal education in the community (法治宣传, 普法).' },
    CARE_AND_HELP: { description: 'Care for the elderly, children left behind and families in need (关爱帮扶).' },
    ANTI_DRUG: { description: 'Drug prevention education (禁毒宣传).' },
    FIRE_SAFETY: { description: 'Fire and gas safety checks and drills (消防安全).' },
  },
});

@ObjectType({ description: 'A volunteer service project (志愿服务项目) run by a volunteer group of a district.' })
@Entity({ tableName: 'volunteer_project' })
export class VolunteerProject {
  @Field(() => ID, { description: '`VP` + the district code + 3 digits.' })
  @PrimaryKey({ type: 'string', length: 11 })
  id!: string;

  @Field({ description: "The project's name." })
  @Property({ type: 'string' })
  name!: string;

  @Field({ description: 'The volunteer group (志愿服务队) that runs it.' })
  @Property({ type: 'string' })
  groupName!: string;

  @Field(() => VolunteerTheme, { description: 'What the project does.' })
  @Enum({ items: () => VolunteerTheme, nativeEnumName: 'volunteer_theme' })
  theme!: VolunteerTheme;

  @Field({ description: 'The district it serves (6 digits).' })
  @Index()
  @Property({ type: 'string', length: 6 })
  districtCode!: string;

  @Field(() => DateScalar, { description: 'YYYY-MM-DD: when the project started.' })
  @Property({ type: DateType })
  startedOn!: string;
}

@ObjectType({ description: 'One activity (志愿服务活动) of a volunteer service project.' })
@Entity({ tableName: 'volunteer_activity' })
@Index({ properties: ['districtCode', 'heldOn', 'id'] })
@Index({ properties: ['projectId', 'heldOn', 'id'] })
export class VolunteerActivity {
  @Field(() => ID, { description: '`VA` + year + 6 digits.' })
  @PrimaryKey({ type: 'string', length: 12 })
  id!: string;

  @Property({ type: 'string', length: 11 })
  projectId!: string;

  @Field(() => DateScalar, { description: 'YYYY-MM-DD: the day it was held.' })
  @Property({ type: DateType })
  heldOn!: string;

  @Field({ description: 'The district it was held in (6 digits).' })
  @Property({ type: 'string', length: 6 })
  districtCode!: string;

  @Field({ description: 'The township it was held in (9 digits).' })
  @Property({ type: 'string', length: 9 })
  townshipCode!: string;

  @Field(() => Int, { description: 'Volunteers who took part.' })
  @Property({ type: 'smallint' })
  volunteers!: number;

  @Field(() => Int, { description: 'Service hours recorded, all volunteers together.' })
  @Property({ type: 'integer' })
  serviceHours!: number;

  @Field({ description: 'What was done, as the group recorded it (no names).' })
  @Property({ type: 'text' })
  summary!: string;
}

@ObjectType({ description: 'A page of volunteer service projects (Relay connection).' })
class VolunteerProjectConnection extends ConnectionType(VolunteerProject, 'VolunteerProject') {}

@ObjectType({ description: 'A page of volunteer service activities (Relay connection).' })
class VolunteerActivityConnection extends ConnectionType(VolunteerActivity, 'VolunteerActivity') {}

/** A district code of the registry, for the lists (`BAD_USER_INPUT` on anything else). */
async function requireDistrict(ctx: SubgraphContext, code: string): Promise<void> {
  checkCode('districtCode', code, 'district');
  const district = await ctx.loaders.one(District, 'code').load(code);
  if (district?.level !== DivisionLevel.COUNTY) throw badInput('districtCode', `unknown district code ${code}`);
}

@Resolver(() => VolunteerProject)
export class VolunteerProjectResolver {
  @Query(() => VolunteerProjectConnection, { description: "A district's volunteer service projects (志愿服务项目), in id order." })
  async volunteerProjects(
    @Arg('districtCode', { description: 'A district code (6 digits).' }) districtCode: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: SubgraphContext,
  ): Promise<VolunteerProjectConnection> {
    await requireDistrict(ctx, districtCode);
    return paginate(ctx, VolunteerProject, { districtCode }, page, { columns: ['id'], direction: 'asc' });
  }

  @Query(() => VolunteerActivityConnection, {
    description: "A district's volunteer service activities (志愿服务活动), newest first; of one project when `projectId` is given.",
  })
  async volunteerActivities(
    @Arg('districtCode', { description: 'A district code (6 digits).' }) districtCode: string,
    @Arg('projectId', () => ID, { nullable: true, description: "Only this project's activities." }) projectId: string | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: SubgraphContext,
  ): Promise<VolunteerActivityConnection> {
    await requireDistrict(ctx, districtCode);
    if (projectId !== undefined && projectId !== null && !/^VP\d{9}$/.test(projectId)) throw badInput('projectId', 'expected VP followed by 9 digits');
    return paginate(ctx, VolunteerActivity, { districtCode, ...(projectId ? { projectId } : {}) }, page, { columns: ['heldOn', 'id'], direction: 'desc' });
  }

  // A count, not a nested page: a page of projects costs one statement for all of their counts.
  @FieldResolver(() => Int, { description: 'Activities the project has held.' })
  activityCount(@Root() project: VolunteerProject, @Ctx() ctx: SubgraphContext): Promise<number> {
    return ctx.loaders.count(VolunteerActivity, 'projectId').load(project.id);
  }
}

@Resolver(() => VolunteerActivity)
export class VolunteerActivityResolver {
  @FieldResolver(() => VolunteerProject, { description: 'The project the activity belongs to.' })
  async project(@Root() activity: VolunteerActivity, @Ctx() ctx: SubgraphContext): Promise<VolunteerProject> {
    return (await ctx.loaders.one(VolunteerProject, 'id').load(activity.projectId))!;
  }
}
