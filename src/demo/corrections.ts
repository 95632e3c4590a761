import { addDays, addMonths, daysBetween, minDate } from './dates';
import { personName } from './names';
import type { Random } from './random';
import type { DemoCorrectionGroupRole, DemoCriminalChain, DemoPreSentenceAssessment } from './types';

/**
 * The community corrections' files (社区矫正), drawn after the criminal cases from a stream of their
 * own so that nothing else in the city shifts. Shares as the national statistics give them (司法部
 * 社区矫正工作统计): probation (缓刑) about nine in ten; parole (假释) a few in a hundred, 暂予监外执行
 * and 管制 about one in a hundred each. Every correction gets its report (报到, within 10 days of
 * the start, 社区矫正法 art. 21), its correction group (矫正小组, art. 25), now and then a warning
 * (警告, 实施办法 art. 35), and its release (解除矫正, art. 44) once the period is over; some
 * defendants were assessed before their hearing (调查评估, art. 18).
 */
export function openCorrectionFiles(chains: DemoCriminalChain[], rng: Random, today: string): void {
  const judged = chains.filter((c) => c.trial?.verdict === 'GUILTY' && c.trial.judgedOn && c.trial.sentenceMonths !== null);
  // 管制: a short sentence (3 months to 2 years) the court imposes instead of probation, served the same way.
  for (const chain of judged) {
    const trial = chain.trial!;
    const correction = chain.correction;
    if (!correction || trial.juvenile || trial.sentenceMonths! < 3 || trial.sentenceMonths! > 24 || !rng.chance(0.02)) continue;
    trial.probation = false;
    trial.publicSurveillance = true;
    correction.kind = 'PUBLIC_SURVEILLANCE';
    correction.endOn = addDays(addMonths(correction.startOn, trial.sentenceMonths!), -1);
    correction.status = correction.endOn < today ? 'COMPLETED' : 'ACTIVE';
  }
  // 假释 after at least half of a prison term served (刑法 art. 81), the rest in the community (art. 83);
  // 暂予监外执行 (刑事诉讼法 art. 265) for a serious illness, soon after the judgment, for the rest of the term.
  const added: Array<NonNullable<DemoCriminalChain['correction']>> = [];
  for (const chain of judged) {
    const trial = chain.trial!;
    if (chain.correction) continue;
    const months = trial.sentenceMonths!;
    const end = addDays(addMonths(trial.judgedOn!, months), -1);
    const parole = rng.chance(0.3);
    const startOn = parole
      ? addDays(addMonths(trial.judgedOn!, Math.ceil(months * (0.5 + rng.next() * 0.25))), rng.int(0, 20))
      : addDays(trial.judgedOn!, rng.int(20, 90));
    if (!parole && !rng.chance(0.015)) continue;
    if (startOn >= today || startOn >= end) continue;
    chain.correction = {
      id: '',
      startOn,
      endOn: end,
      status: end < today ? 'COMPLETED' : 'ACTIVE',
      officerId: `co-${chain.districtCode}-${String(rng.int(1, 5)).padStart(3, '0')}`,
      kind: parole ? 'PAROLE' : 'TEMPORARY_OUTSIDE_EXECUTION',
      reportedOn: startOn,
      events: [],
      group: [],
    };
    added.push(chain.correction);
  }
  numberAfter(
    chains.flatMap((c) => (c.correction && c.correction.id ? [c.correction.id] : [])),
    'CC',
    added.sort((a, b) => (a.startOn < b.startOn ? -1 : a.startOn > b.startOn ? 1 : 0)).map((c) => ({ date: c.startOn, assign: (id) => (c.id = id) })),
  );

  for (const chain of chains) {
    const c = chain.correction;
    if (!c) continue;
    c.reportedOn = minDate(addDays(c.startOn, rng.int(0, 10)), addDays(today, -1));
    if (c.reportedOn < c.startOn) c.reportedOn = c.startOn;
    c.events = [{ kind: 'REPORTED', occurredOn: c.reportedOn, reason: null, officerId: c.officerId }];
    const lastDay = minDate(c.endOn, addDays(today, -1));
    const span = daysBetween(c.reportedOn, lastDay);
    if (span > 30 && rng.chance(0.12))
      c.events.push({ kind: 'WARNING', occurredOn: addDays(c.reportedOn, rng.int(15, span)), reason: rng.pick(WARNINGS), officerId: c.officerId });
    if (c.status === 'COMPLETED') c.events.push({ kind: 'RELEASE', occurredOn: c.endOn, reason: null, officerId: c.officerId });
    c.group = correctionGroup(rng, chain.trial?.juvenile === true, Number(c.startOn.slice(0, 4)));
  }

  const assessments: Array<{ date: string; assign: (id: string) => void }> = [];
  for (const chain of judged) {
    const trial = chain.trial!;
    const community = chain.correction?.kind === 'PROBATION' || chain.correction?.kind === 'PUBLIC_SURVEILLANCE';
    // Commissioned where a community sentence is in view (most cases that end in one); some conclude against it.
    if (!(community ? rng.chance(0.6) : trial.sentenceMonths! <= 36 && rng.chance(0.15))) continue;
    const answeredOn = minDate(addDays(trial.filedOn, rng.int(5, 14)), trial.hearingOn);
    const assessment: DemoPreSentenceAssessment = {
      id: '',
      suitable: community,
      opinion: community ? rng.pick(SUITABLE) : rng.pick(UNSUITABLE),
      answeredOn,
      officerId: `co-${chain.districtCode}-${String(rng.int(1, 5)).padStart(3, '0')}`,
      districtCode: chain.districtCode,
    };
    trial.assessment = assessment;
    assessments.push({ date: answeredOn, assign: (id) => (assessment.id = id) });
  }
  numberAfter(
    [],
    'PA',
    assessments.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
  );
}

/** Numbers records `<prefix><year><6 digits>` in date order, each year after the highest number `taken` already has. */
export function numberAfter(taken: string[], prefix: string, records: Array<{ date: string; assign: (id: string) => void }>): void {
  const last = new Map<string, number>();
  for (const id of taken) {
    const year = id.slice(prefix.length, prefix.length + 4);
    last.set(year, Math.max(last.get(year) ?? 0, Number(id.slice(prefix.length + 4))));
  }
  for (const r of records) {
    const year = r.date.slice(0, 4);
    const seq = (last.get(year) ?? 0) + 1;
    last.set(year, seq);
    r.assign(`${prefix}${year}${String(seq).padStart(6, '0')}`);
  }
}

/** The group: the justice office's officer, the residents' committee, the family (a guardian for a minor), often a social worker. */
function correctionGroup(rng: Random, juvenile: boolean, year: number): Array<{ role: DemoCorrectionGroupRole; name: string }> {
  const member = (role: DemoCorrectionGroupRole, age: [number, number]) => ({
    role,
    name: personName(rng, rng.chance(0.5) ? 'MALE' : 'FEMALE', year - rng.int(age[0], age[1])),
  });
  const group = [member('JUSTICE_OFFICE', [25, 50]), member('RESIDENTS_COMMITTEE', [30, 60]), member(juvenile ? 'GUARDIAN' : 'FAMILY', [35, 65])];
  if (juvenile) group.push(member('EMPLOYER_OR_SCHOOL', [30, 55]));
  if (rng.chance(0.5)) group.push(member('SOCIAL_WORKER', [23, 45]));
  if (rng.chance(0.15)) group.push(member('VOLUNTEER', [20, 65]));
  return group;
}

const WARNINGS = [
  '未经批准离开所居住的市、县',
  '未按规定时间报告本人活动情况',
  '无正当理由未按规定参加教育学习',
  '违反人民法院禁止令，进入禁止进入的场所',
  '未经批准变更居住地',
];
const SUITABLE = [
  '被告人有固定住所和稳定收入，家庭愿意监护，社区居民无异议，适宜社区矫正。',
  '被告人系初犯，认罪悔罪，居住地村（居）委会同意接收，适宜社区矫正。',
  '被告人有固定住所，监护条件较好，再犯罪风险低，适宜社区矫正。',
];
const UNSUITABLE = ['被告人在本地无固定住所，无人监护，不适宜社区矫正。', '被告人有多次违法记录，所在社区对其社区矫正有较大顾虑，不适宜社区矫正。'];
