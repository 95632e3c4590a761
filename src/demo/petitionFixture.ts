import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../shared/paths';
import { DEMO_SIZES, buildDemoCity } from './city';
import { addDays } from './dates';
import type { DemoCity, DemoPerson } from './types';

/**
 * The petition bureau's (信访局) legacy database stand-in, `test/fixtures/petition/xf.sql`, written
 * from the small demo city: its petitioners are the city's residents and its petitions about a
 * dispute name that dispute's grid event (访调对接), so the fixture must follow the city whenever the
 * city's generator moves its ids. `hub petition-fixture` writes it; src/demo/petitionFixture.test.ts
 * fails when the committed file differs from what this produces.
 */
export const PETITION_FIXTURE = join(repoRoot, 'test', 'fixtures', 'petition', 'xf.sql');

/** Petitions about the city's first disputes, by the dispute's first party. */
const PETITIONS_ABOUT_DISPUTES = 24;
/** Petitions about matters outside the grid (wages, subsistence allowance, ...), by residents spread over the city. */
const OTHER_PETITIONS = 36;
/** Step through the residents for the other petitions: prime to the small city's 720, so it visits every grid. */
const RESIDENT_STEP = 37;

const FORMS = ['来信', '网上信访', '电话', '来访'] as const;
const STATES = ['办理中', '办结', '办结', '不予受理', '受理'] as const;
const OTHER_MATTERS = [
  '反映拖欠农民工工资问题，请求协调支付。',
  '反映低保资格认定问题，请求复核。',
  '反映征地补偿款发放问题。',
  '反映小区物业服务问题，请求督促整改。',
  '反映医疗费用报销问题。',
] as const;
const OTHER_DAYS = [1, 8, 15, 22] as const;
/**
 * Repeat petitions (重复信访), so that the statistics have enough to count for the small city's
 * release to show some: every petition above but the referral comes back about the same matter
 * 35–154 days later, and every `SECOND_RETURN_EVERY`-th again 40–99 days after that — 80 returns on
 * 60 first petitions, so 81 of the 141 petitions repeat one of the 12 months before (57 %, with a
 * resident who came twice on other matters; 2025: 59 of 117). The share is the project's choice, high
 * so that the small city's release shows the indicator at all; it is no official figure.
 */
const SECOND_RETURN_EVERY = 3;

const HEADER = `-- The 信访 (petition) bureau's case system, as the hub finds it: a stand-in for the bureau's own
-- PostgreSQL database, which the hub may read but never change. Legacy names (pinyin initials) as
-- the bureau's vendor made them:
--   xf_person (信访人)  ryid 人员编号, xm 姓名, xb 性别 (1 男 2 女), sfzh 身份证号, lxdh 联系电话, zz 住址, djsj 登记时间
--   xf_case   (信访件)  xfjbh 信访件编号, ryid 信访人, xfxs 信访形式, xfrq 信访日期, nrzy 内容摘要, blzt 办理状态,
--                       wgdm 网格代码, wgsjbh 网格事件编号 (访调对接: the grid event the petition is about), rs 人数, gxsj 更新时间
--   xf_czrz   (操作日志) an operation log without a primary key, and xf_fj (附件) with binary attachments:
--                       what the scaffold refuses to map.
-- The people are residents of the demo city (its small size), so petitions meet their grid events
-- and mediations in the graph. One old 15-digit ID number (XFR900001, registered in 2003) is kept as
-- found: it links to nobody.
-- Generated from the small demo city by \`hub petition-fixture\` (src/demo/petitionFixture.ts): edit that, not this file.
create schema xf;
create table xf.xf_person (
  ryid varchar(16) primary key,
  xm varchar(30) not null,
  xb char(1),
  sfzh varchar(18),
  lxdh varchar(20),
  zz varchar(200),
  djsj timestamptz not null
);
create table xf.xf_case (
  xfjbh varchar(20) primary key,
  ryid varchar(16) not null references xf.xf_person (ryid),
  xfxs varchar(8) not null,
  xfrq date not null,
  nrzy text,
  blzt varchar(8) not null,
  wgdm varchar(12) not null,
  wgsjbh varchar(20),
  rs smallint not null default 1,
  gxsj timestamptz not null
);
create index xf_case_ryid on xf.xf_case (ryid);
-- The vendor described some columns (not all) in the database itself; a scaffold takes these as descriptions.
comment on column xf.xf_person.xm is '姓名: the petitioner''s name';
comment on column xf.xf_case.nrzy is '内容摘要: what the petition is about, as registered';
create table xf.xf_czrz (czsj timestamptz not null, czy varchar(30), nr text);
create table xf.xf_fj (fjid integer primary key, xfjbh varchar(20), fj bytea);
`;

const literal = (value: string | number | null) => (value === null ? 'null' : `'${String(value).replaceAll("'", "''")}'`);
const row = (values: ReadonlyArray<string | number | null>) => `  (${values.map(literal).join(', ')})`;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * The ID number as issued before 1999 (GB 11643-1989): 15 digits, a two-digit birth year and no
 * check digit. The bureau registered the first petitioner once under it, in 2003.
 */
function fifteenDigit(idNumber: string): string {
  return idNumber.slice(0, 6) + idNumber.slice(8, 17);
}

interface Petition {
  /** The bureau's number when the city gave it one (a petition it referred to mediation); else numbered in order. */
  number?: string;
  ryid: string;
  form: string;
  date: string;
  summary: string;
  state: string;
  gridCode: string;
  gridEventId: string | null;
  people: number;
  updatedAt: string;
}

/** The fixture's SQL for a demo city (the small one: `petitionFixtureSql()`); deterministic. */
export function petitionFixtureSql(city: DemoCity = buildDemoCity(DEMO_SIZES.small)): string {
  const residents = new Map(city.persons.map((p) => [p.idNumber, p]));
  const events = new Map(city.gridEvents.map((e) => [e.id, e]));
  const petitioners: DemoPerson[] = [];
  const ryidOf = new Map<string, string>();
  // A resident who petitions again keeps the number the bureau gave them the first time.
  const register = (person: DemoPerson) => {
    let ryid = ryidOf.get(person.idNumber);
    if (!ryid) {
      petitioners.push(person);
      ryid = `XFR${pad(petitioners.length, 6)}`;
      ryidOf.set(person.idNumber, ryid);
    }
    return ryid;
  };

  const petitions: Petition[] = [];
  const disputes = city.disputes.filter((d) => d.source === 'GRID_EVENT').slice(0, PETITIONS_ABOUT_DISPUTES);
  if (disputes.length < PETITIONS_ABOUT_DISPUTES)
    throw new Error(`the demo city has ${disputes.length} disputes, the fixture needs ${PETITIONS_ABOUT_DISPUTES}`);
  disputes.forEach((dispute, i) => {
    const event = events.get(dispute.gridEventId!);
    const petitioner = residents.get(dispute.partyIdNumbers[0]);
    if (!event || !petitioner) throw new Error(`dispute ${dispute.mediationId}: no grid event or first party in the demo city`);
    // The party comes to the bureau a few days after mediation began (1 to 9 days).
    const date = addDays(dispute.startedOn, 1 + ((i + 1) % 9));
    petitions.push({
      ryid: register(petitioner),
      form: FORMS[i % FORMS.length],
      date,
      summary: `反映${event.title}：${event.description}`,
      state: STATES[i % STATES.length],
      gridCode: event.gridCode,
      gridEventId: event.id,
      people: [2, 3, 1][i % 3],
      updatedAt: `${date} 09:${pad(11 + i, 2)}:00+08`,
    });
  });
  for (let j = 0; j < OTHER_PETITIONS; j++) {
    const i = petitions.length;
    const petitioner = city.persons[(j * RESIDENT_STEP) % city.persons.length];
    const date = `2025-${pad((j % 12) + 1, 2)}-${pad(OTHER_DAYS[j % OTHER_DAYS.length], 2)}`;
    petitions.push({
      ryid: register(petitioner),
      form: FORMS[i % FORMS.length],
      date,
      summary: OTHER_MATTERS[j % OTHER_MATTERS.length],
      state: STATES[i % STATES.length],
      gridCode: petitioner.gridCode,
      gridEventId: null,
      people: 1 + (j % 2),
      updatedAt: `${date} 14:${pad(10 + j, 2)}:00+08`,
    });
  }

  // 访调对接: the petitions the bureau referred to people's mediation, under the numbers the city gave them (src/demo/mediationReferrals.ts).
  for (const referral of city.disputes) {
    if (!referral.petition) continue;
    const i = petitions.length;
    const petitioner = residents.get(referral.partyIdNumbers[0]);
    if (!petitioner) throw new Error(`petition ${referral.petition.caseId}: the petitioner is no resident of the demo city`);
    const { caseId, filedOn, cause } = referral.petition;
    petitions.push({
      number: caseId,
      ryid: register(petitioner),
      form: FORMS[i % FORMS.length],
      date: filedOn,
      summary: `反映${cause}，请求调解。`,
      state: '办结',
      gridCode: petitioner.gridCode,
      gridEventId: null,
      people: 1,
      updatedAt: `${filedOn} 16:${pad(i % 60, 2)}:00+08`,
    });
  }

  // Repeat petitions, appended after every petition above so that those keep their numbers and rows.
  const comeBack = (earlier: Petition, days: number): Petition => {
    const i = petitions.length;
    const date = addDays(earlier.date, days);
    const summary = earlier.summary.startsWith('再次') ? earlier.summary : `再次${earlier.summary}`;
    return {
      ...earlier,
      number: undefined,
      form: FORMS[i % FORMS.length],
      date,
      summary,
      state: STATES[i % STATES.length],
      updatedAt: `${date} 15:${pad(i % 60, 2)}:00+08`,
    };
  };
  petitions.slice(0, PETITIONS_ABOUT_DISPUTES + OTHER_PETITIONS).forEach((first, k) => {
    const second = comeBack(first, 35 + ((k * 23) % 120));
    petitions.push(second);
    if (k % SECOND_RETURN_EVERY === 0) petitions.push(comeBack(second, 40 + ((k * 17) % 60)));
  });

  const persons = petitioners.map((p, k) =>
    row([
      ryidOf.get(p.idNumber)!,
      p.name,
      p.gender === 'MALE' ? '1' : '2',
      p.idNumber,
      p.phone,
      p.address,
      `2024-${pad((k % 12) + 1, 2)}-${pad((k % 28) + 1, 2)} 10:00:00+08`,
    ]),
  );
  const first = petitioners[0];
  persons.push(row(['XFR900001', first.name, first.gender === 'MALE' ? '1' : '2', fifteenDigit(first.idNumber), null, null, '2003-05-06 10:00:00+08']));
  const numbers = petitions.map((p, i) => p.number ?? `XF${p.date.slice(0, 4)}${pad(i + 1, 6)}`);
  const cases = petitions.map((p, i) => row([numbers[i], p.ryid, p.form, p.date, p.summary, p.state, p.gridCode, p.gridEventId, p.people, p.updatedAt]));
  return (
    HEADER +
    `insert into xf.xf_person (ryid, xm, xb, sfzh, lxdh, zz, djsj) values\n${persons.join(',\n')};\n` +
    `insert into xf.xf_case (xfjbh, ryid, xfxs, xfrq, nrzy, blzt, wgdm, wgsjbh, rs, gxsj) values\n${cases.join(',\n')};\n` +
    `insert into xf.xf_czrz (czsj, czy, nr) values ('2025-03-01 09:00:00+08', '张科员', '登记 ${numbers[0]}');\n`
  );
}

/** Writes the fixture, or with `check` only compares; true when the committed file differs from the generator's output. */
export function writePetitionFixture(check: boolean): boolean {
  const sql = petitionFixtureSql();
  const differs = readFileSync(PETITION_FIXTURE, 'utf8') !== sql;
  if (differs && !check) writeFileSync(PETITION_FIXTURE, sql);
  return differs;
}
