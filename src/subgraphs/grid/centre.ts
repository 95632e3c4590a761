import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { jurisdictionPrefix } from '../../auth/viewer';
import type { SubgraphContext } from '../../kit/context';
import { orgUnit, OrgUnit, orgUnits } from '../../kit/orgUnit';
import type { ReferenceResolver } from '../../kit/department';
import { representationKey } from '../../kit/references';
import { badInput } from '../../shared/errors';
import { divisionUnit, UNIT_DEPARTMENTS, unitsIn, type UnitDepartment } from '../../shared/orgUnits';
import { checkCode } from '../../shared/validate';
import { GridEventStatus } from './entities';

/*
 * The 综治中心 (社会治安综合治理中心) as its dispatcher sees it: the units working in its area and the
 * grid events its centres received. Counts only; the workflow adds the handoffs it dispatched.
 */

@ObjectType({ description: 'How many grid events of the area stand at one status.' })
export class GridEventStatusCount {
  @Field(() => GridEventStatus, { description: 'The status.' })
  status!: GridEventStatus;

  @Field(() => Int, { description: 'Grid events at that status.' })
  count!: number;
}

@ObjectType({ description: "A township 综治中心's caseload: the grid events it received and those still open." })
export class UnitCaseload {
  @Field(() => OrgUnit, { description: 'The receiving 综治中心.' })
  unit!: OrgUnit;

  @Field(() => Int, { description: 'Grid events it received, ever.' })
  received!: number;

  @Field(() => Int, { description: 'Of those, reported or in progress (neither resolved nor referred).' })
  open!: number;
}

@ObjectType({
  description:
    'A comprehensive governance centre (综治中心, 社会治安综合治理中心) of the city, a county or a township: the hub of the grid-event flow. Its counts go to the centres of its area (and the admin) only.',
})
@Directive('@key(fields: "divisionCode")')
export class ComprehensiveCentre {
  @Field(() => ID, { description: 'The division it serves: the city (211400), a district (6 digits) or a township (9 digits).' })
  divisionCode!: string;
}

function checkedCentre(argument: string, divisionCode: string): ComprehensiveCentre {
  const code = checkCode(argument, divisionCode, 'division');
  if (!divisionUnit('zongzhi', code)) throw badInput(argument, `no 综治中心 serves division ${code}`);
  return Object.assign(new ComprehensiveCentre(), { divisionCode: code });
}

/** A representation names a centre by its division; an unknown one is refused, as the query refuses it. */
export const centreReference: ReferenceResolver = (representation) => checkedCentre('divisionCode', representationKey(representation, 'divisionCode'));

interface StatusCount {
  unit_code: string;
  status: GridEventStatus;
  n: string;
}

const OPEN = new Set([GridEventStatus.REPORTED, GridEventStatus.IN_PROGRESS]);

@Resolver(() => ComprehensiveCentre)
export class ComprehensiveCentreResolver {
  @Query(() => ComprehensiveCentre, { nullable: true, description: "A 综治中心 by the division it serves: its units, and the caseload of its area's centres." })
  comprehensiveCentre(
    @Arg('divisionCode', { description: 'The city (211400), a district (6 digits) or a township (9 digits) code.' }) divisionCode: string,
  ): ComprehensiveCentre {
    return checkedCentre('divisionCode', divisionCode);
  }

  @Query(() => [OrgUnit], { description: 'The organisational units working in a division (itself and below), of one department or of all, by code.' })
  orgUnits(
    @Arg('divisionCode', { description: 'The city (211400), a district (6 digits) or a township (9 digits) code.' }) divisionCode: string,
    @Arg('department', () => String, { nullable: true, description: 'police, procuratorate, court, justice or zongzhi; all when omitted.' })
    department: string | undefined,
  ): OrgUnit[] {
    const code = checkCode('divisionCode', divisionCode, 'division');
    if (department !== undefined && department !== null && !(UNIT_DEPARTMENTS as readonly string[]).includes(department))
      throw badInput('department', `expected one of ${UNIT_DEPARTMENTS.join(', ')}`);
    const departments = department ? [department as UnitDepartment] : UNIT_DEPARTMENTS;
    return orgUnits(departments.flatMap((d) => unitsIn(d, code)));
  }

  @FieldResolver(() => OrgUnit, { description: 'The centre itself as a unit.' })
  unit(@Root() centre: ComprehensiveCentre): OrgUnit {
    return orgUnit(divisionUnit('zongzhi', centre.divisionCode)!.code)!;
  }

  @FieldResolver(() => [OrgUnit], {
    description: 'Every unit working in its area, department by department (police, procuratorate, court, justice, 综治中心), the centre itself first.',
  })
  units(@Root() centre: ComprehensiveCentre): OrgUnit[] {
    return orgUnits(UNIT_DEPARTMENTS.flatMap((d) => unitsIn(d, centre.divisionCode)));
  }

  @FieldResolver(() => [GridEventStatusCount], {
    nullable: true,
    description: 'Grid events received in its area, by status (every status listed, zeros included).',
  })
  async eventsByStatus(@Root() centre: ComprehensiveCentre, @Ctx() ctx: SubgraphContext): Promise<GridEventStatusCount[]> {
    const rows = await counts(ctx, centre);
    return Object.values(GridEventStatus).map((status) => ({
      status,
      count: rows.filter((r) => r.status === status).reduce((n, r) => n + Number(r.n), 0),
    }));
  }

  @FieldResolver(() => [UnitCaseload], { nullable: true, description: 'The caseload of each township 综治中心 of its area, by unit code.' })
  async caseload(@Root() centre: ComprehensiveCentre, @Ctx() ctx: SubgraphContext): Promise<UnitCaseload[]> {
    const rows = await counts(ctx, centre);
    return orgUnits(unitsIn('zongzhi', centre.divisionCode).filter((u) => u.level === 'TOWNSHIP')).map((unit) => {
      const own = rows.filter((r) => r.unit_code === unit.code);
      return {
        unit,
        received: own.reduce((n, r) => n + Number(r.n), 0),
        open: own.filter((r) => OPEN.has(r.status)).reduce((n, r) => n + Number(r.n), 0),
      };
    });
  }
}

/** The area's events by receiving centre and status: one grouped query on the grid-code prefix index, shared by the centre's count fields. */
const countsOf = new WeakMap<ComprehensiveCentre, Promise<StatusCount[]>>();
function counts(ctx: SubgraphContext, centre: ComprehensiveCentre): Promise<StatusCount[]> {
  let rows = countsOf.get(centre);
  if (!rows) {
    rows = ctx.em
      .getConnection()
      .execute<StatusCount[]>(
        `select unit_code, status, count(*) as n from grid.grid_event where grid_code like ? group by unit_code, status order by unit_code, status`,
        [`${jurisdictionPrefix(centre.divisionCode)}%`],
      );
    countsOf.set(centre, rows);
  }
  return rows;
}
