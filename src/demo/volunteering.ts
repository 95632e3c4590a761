import { addDays, addMonths } from './dates';
import { Random } from './random';
import type { DemoCitySource } from './types';

export type VolunteerTheme = 'SAFETY_PATROL' | 'DISPUTE_MEDIATION' | 'LEGAL_PUBLICITY' | 'CARE_AND_HELP' | 'ANTI_DRUG' | 'FIRE_SAFETY';

/** A volunteer service project (志愿服务项目) run by one of a district's volunteer groups. */
export interface DemoVolunteerProject {
  /** `VP` + the district code + 3 digits. */
  id: string;
  name: string;
  groupName: string;
  theme: VolunteerTheme;
  districtCode: string;
  startedOn: string;
}

/** One activity (志愿服务活动) of a project: where, when, how many volunteers and hours. */
export interface DemoVolunteerActivity {
  /** `VA` + year + 6 digits, numbered by day within the year. */
  id: string;
  projectId: string;
  heldOn: string;
  districtCode: string;
  townshipCode: string;
  volunteers: number;
  serviceHours: number;
  summary: string;
}

export interface DemoVolunteering {
  projects: DemoVolunteerProject[];
  activities: DemoVolunteerActivity[];
}

/**
 * The city's scale (docs/domain.md): 111 service projects and 8,000+ activities a year for
 * 160,000+ volunteers, i.e. about 18 projects a district, each active six times a month.
 */
const CITY_VOLUNTEERS_PER_DISTRICT = 160_000 / 6;
const CITY_PROJECTS_PER_DISTRICT = 111 / 6;
const CITY_ACTIVITIES_PER_PROJECT_MONTH = 8_000 / 111 / 12;

const THEMES: Record<VolunteerTheme, { name: string; summaries: string[] }> = {
  SAFETY_PATROL: { name: '平安巡防', summaries: ['夜间巡逻，劝离聚集人员一处。', '节日期间商圈巡防，未发现异常。', '配合派出所开展治安巡逻。'] },
  DISPUTE_MEDIATION: {
    name: '邻里纠纷化解',
    summaries: ['入户调解邻里噪音纠纷，双方达成谅解。', '协助调委会化解物业纠纷。', '开展矛盾纠纷排查，登记线索两条。'],
  },
  LEGAL_PUBLICITY: { name: '法治宣传进社区', summaries: ['发放普法宣传册，解答法律咨询。', '开展反诈宣传讲座。', '民法典宣传进小区。'] },
  CARE_AND_HELP: { name: '关爱帮扶', summaries: ['走访空巢老人，代购生活用品。', '为留守儿童辅导功课。', '协助特殊人群家庭办理救助申请。'] },
  ANTI_DRUG: { name: '禁毒宣传', summaries: ['校园禁毒知识宣讲。', '社区禁毒宣传展板巡展。', '6·26国际禁毒日主题宣传。'] },
  FIRE_SAFETY: { name: '消防安全', summaries: ['排查楼道堆物，清理通道。', '入户检查燃气安全。', '开展消防演练。'] },
};

/**
 * The demo's volunteer service projects and their activities, drawn from a stream of their own
 * (`volunteering`) so no other record of the city shifts. A district has projects in proportion to
 * its volunteers (at least two), each run by one of the district's groups; an activity takes place
 * in a township of its district on a day of the demo period.
 */
export function volunteeringOf(city: Pick<DemoCitySource, 'seed' | 'period' | 'divisions' | 'volunteers'>): DemoVolunteering {
  const rng = new Random(city.seed).fork('volunteering');
  const projects: DemoVolunteerProject[] = [];
  const activities: Omit<DemoVolunteerActivity, 'id'>[] = [];
  const themes = Object.keys(THEMES) as VolunteerTheme[];
  // The period in months (it starts on the 1st), the last one cut at the period's end.
  const months: Array<[string, string]> = [];
  for (let first = city.period.start; first <= city.period.end; first = addMonths(first, 1)) {
    const last = addDays(addMonths(first, 1), -1);
    months.push([first, last < city.period.end ? last : city.period.end]);
  }
  for (const district of city.divisions.filter((d) => d.level === 'COUNTY')) {
    const volunteers = city.volunteers.filter((v) => v.districtCode === district.code);
    const groups = [...new Set(volunteers.map((v) => v.groupName))].sort();
    const townships = city.divisions.filter((d) => d.parentCode === district.code);
    if (!groups.length || !townships.length) continue;
    const share = Math.min(1, volunteers.length / CITY_VOLUNTEERS_PER_DISTRICT);
    const count = Math.max(2, Math.round(CITY_PROJECTS_PER_DISTRICT * share));
    const perMonth = Math.max(1, Math.round(CITY_ACTIVITIES_PER_PROJECT_MONTH * share));
    for (let i = 0; i < count; i++) {
      const theme = themes[i % themes.length];
      const project: DemoVolunteerProject = {
        id: `VP${district.code}${String(i + 1).padStart(3, '0')}`,
        name: `${district.name}“${THEMES[theme].name}”志愿服务项目${i >= themes.length ? `（${Math.floor(i / themes.length) + 1}）` : ''}`,
        groupName: rng.pick(groups),
        theme,
        districtCode: district.code,
        startedOn: rng.date('2023-01-01', '2024-12-31'),
      };
      projects.push(project);
      for (const [first, last] of months) {
        for (let n = 0; n < perMonth; n++) {
          const volunteersTaking = rng.int(3, 30);
          activities.push({
            projectId: project.id,
            heldOn: rng.date(first, last),
            districtCode: district.code,
            townshipCode: rng.pick(townships).code,
            volunteers: volunteersTaking,
            serviceHours: volunteersTaking * rng.int(2, 4),
            summary: rng.pick(THEMES[theme].summaries),
          });
        }
      }
    }
  }
  activities.sort((a, b) => (a.heldOn < b.heldOn ? -1 : a.heldOn > b.heldOn ? 1 : a.projectId < b.projectId ? -1 : a.projectId > b.projectId ? 1 : 0));
  const perYear = new Map<string, number>();
  return {
    projects,
    activities: activities.map((a) => {
      const year = a.heldOn.slice(0, 4);
      const seq = (perYear.get(year) ?? 0) + 1;
      perYear.set(year, seq);
      return { id: `VA${year}${String(seq).padStart(6, '0')}`, ...a };
    }),
  };
}
