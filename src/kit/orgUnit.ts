import { Index, Property } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { unitByCode, type OrgUnitRecord } from '../shared/orgUnits';

/* The organisational unit as every department's graph shows it: one definition, @shareable, read from the hub's unit catalogue (src/shared/orgUnits.ts). */

export enum OrgUnitLevel {
  CITY = 'CITY',
  COUNTY = 'COUNTY',
  TOWNSHIP = 'TOWNSHIP',
}
registerEnumType(OrgUnitLevel, {
  name: 'OrgUnitLevel',
  description: 'The tier an organisational unit works at.',
  valuesConfig: {
    CITY: { description: 'City level (市级), e.g. 葫芦岛市公安局.' },
    COUNTY: { description: 'County level (县区级), e.g. a 公安分局, a basic court or procuratorate and its departments.' },
    TOWNSHIP: { description: 'Township level (乡镇街道级), e.g. a 派出所, 司法所, 人民法庭 or township 综治中心.' },
  },
});

@ObjectType({
  description:
    "An organisational unit (机构) that handles records: a police station (派出所) or bureau, a procuratorate or one of its departments (检察部), a court or people's tribunal (人民法庭), a justice bureau or office (司法所), or a comprehensive governance centre (综治中心). Not sensitive.",
})
@Directive('@shareable')
export class OrgUnit {
  @Field(() => ID, {
    description:
      'Department prefix (GA police, JC procuratorate, FY court, SF justice, ZZ 综治中心) + 12 digits: the 9-digit township code (a district or the city + 000) + a 3-digit number.',
  })
  code!: string;

  @Field({ description: "The unit's name, e.g. 钢屯派出所." })
  name!: string;

  @Field({ description: 'The department: police, procuratorate, court, justice or zongzhi (综治中心).' })
  department!: string;

  @Field(() => OrgUnitLevel, { description: 'City, county or township level.' })
  level!: OrgUnitLevel;

  @Field({ description: 'The county-level district it works in (6 digits; the city code for a city-level unit).' })
  districtCode!: string;

  @Field(() => String, { nullable: true, description: 'The township it works in (9 digits), for a township-level unit.' })
  townshipCode!: string | null;

  parentCode!: string | null;

  @Field(() => OrgUnit, { nullable: true, description: 'The unit it reports to; null for a city-level unit.' })
  get parent(): OrgUnit | null {
    return orgUnit(this.parentCode);
  }
}

function fromRecord(record: OrgUnitRecord): OrgUnit {
  const { level, ...rest } = record;
  return Object.assign(new OrgUnit(), rest, { level: OrgUnitLevel[level] });
}

/** The unit a record's `unitCode` names; null for none or a code the catalogue does not hold. */
export function orgUnit(code: string | null | undefined): OrgUnit | null {
  const record = code ? unitByCode(code) : null;
  return record ? fromRecord(record) : null;
}

export function orgUnits(records: readonly OrgUnitRecord[]): OrgUnit[] {
  return records.map(fromRecord);
}

/**
 * A record's handling unit (`unitCode`, a code of src/shared/orgUnits.ts): an indexed 14-character
 * column, as `addUnitColumnSql` (src/shared/orgUnitSql.ts) creates it. Shown as `unit` by a field resolver.
 */
export function UnitColumn(): (target: { unitCode: string }, key: 'unitCode') => void {
  return (target, key) => {
    Index<{ unitCode: string }, string>()(target, key);
    Property({ type: 'string', length: 14 })(target, key);
  };
}
