/**
 * What happens in the demo city: dispute, grid-event and incident templates, criminal charges,
 * legal-aid matters and volunteer groups. Free text names people only as `王某` (surname + 某), the
 * way official documents do, because field masking cannot reach inside free text.
 */

import { DISTRICTS, type District } from './divisions';
import type { GridEventKind } from './types';

/** Where a template fits: a village (村), a residential community (社区), or either. */
export type Setting = 'village' | 'community' | 'any';

export interface DisputeText {
  /** First party, for a family dispute the elder. */
  a: string;
  b: string;
  amount: number;
}

export interface DisputeTemplate {
  title: string;
  setting: Setting;
  /** Both parties come from one household. */
  family: boolean;
  /** Amount in yuan drawn for the texts, in steps of 100. */
  amount: readonly [number, number];
  describe(p: DisputeText): string;
  agree(p: DisputeText): string;
}

export const DISPUTES: readonly DisputeTemplate[] = [
  {
    title: '宅基地边界纠纷',
    setting: 'village',
    family: false,
    amount: [0, 0],
    describe: (p) => `${p.a}与${p.b}两家因宅基地边界及院墙位置发生争执，${p.a}认为${p.b}新砌院墙占用其宅基地。`,
    agree: (p) => `经现场丈量，双方同意以原界石为准，${p.b}于三十日内将院墙后移，拆砌费用双方各半承担。`,
  },
  {
    title: '土地承包纠纷',
    setting: 'village',
    family: false,
    amount: [0, 0],
    describe: (p) => `${p.a}与${p.b}因承包地地界及灌溉用水顺序发生争执。`,
    agree: () => '双方确认按原承包合同所载四至执行，灌溉用水按村民小组排定的轮次使用。',
  },
  {
    title: '牲畜毁损青苗纠纷',
    setting: 'village',
    family: false,
    amount: [500, 3000],
    describe: (p) => `${p.b}家散养的羊群进入${p.a}家玉米地，啃食青苗约两亩，双方就赔偿数额协商未果。`,
    agree: (p) => `${p.b}一次性赔偿${p.a}青苗损失${p.amount}元，并承诺今后圈养牲畜。`,
  },
  {
    title: '房屋漏水纠纷',
    setting: 'community',
    family: false,
    amount: [1000, 8000],
    describe: (p) => `${p.a}反映楼上${p.b}家卫生间漏水，致其家中天棚及墙面受损，双方就维修责任发生争执。`,
    agree: (p) => `${p.b}负责修复卫生间防水层，并赔偿${p.a}装修损失${p.amount}元。`,
  },
  {
    title: '装修噪音纠纷',
    setting: 'community',
    family: false,
    amount: [0, 0],
    describe: (p) => `${p.a}反映邻居${p.b}家装修施工时间过早过晚，影响休息，双方多次发生口角。`,
    agree: (p) => `${p.b}承诺装修施工限于工作日8时至12时、14时至18时，${p.a}对此表示谅解。`,
  },
  {
    title: '犬只伤人纠纷',
    setting: 'community',
    family: false,
    amount: [800, 6000],
    describe: (p) => `${p.b}饲养的犬只未拴绳，将${p.a}咬伤，双方就医疗费用承担发生争执。`,
    agree: (p) => `${p.b}赔偿${p.a}医疗费、误工费共计${p.amount}元，并承诺外出遛犬拴绳。`,
  },
  {
    title: '民间借贷纠纷',
    setting: 'any',
    family: false,
    amount: [3000, 80000],
    describe: (p) => `${p.a}称${p.b}向其借款${p.amount}元，约定期限届满后未归还。`,
    agree: (p) => `${p.b}确认借款${p.amount}元，分三期于六个月内还清。`,
  },
  {
    title: '劳务费纠纷',
    setting: 'any',
    family: false,
    amount: [2000, 30000],
    describe: (p) => `${p.a}为${p.b}家翻建房屋务工，劳务费${p.amount}元至今未结清。`,
    agree: (p) => `${p.b}于十五日内一次性支付${p.a}劳务费${p.amount}元。`,
  },
  {
    title: '交通事故赔偿纠纷',
    setting: 'any',
    family: false,
    amount: [2000, 50000],
    describe: (p) => `${p.a}骑电动车与${p.b}驾驶的三轮车相撞，${p.a}受轻伤，双方就赔偿数额发生争议。`,
    agree: (p) => `${p.b}一次性赔偿${p.a}医疗费、误工费等各项损失${p.amount}元，双方再无其他争议。`,
  },
  {
    title: '相邻通行纠纷',
    setting: 'any',
    family: false,
    amount: [0, 0],
    describe: (p) => `${p.a}与${p.b}因共用通道堆放杂物、影响通行发生争执。`,
    agree: (p) => `${p.b}于七日内清理通道杂物，双方约定共用通道保持畅通。`,
  },
  {
    title: '赡养纠纷',
    setting: 'any',
    family: true,
    amount: [300, 1500],
    describe: (p) => `${p.a}反映年老多病，与共同生活的${p.b}就赡养费用和日常照料发生矛盾。`,
    agree: (p) => `${p.b}每月给付${p.a}赡养费${p.amount}元，并负责日常生活照料。`,
  },
  {
    title: '婚姻家庭纠纷',
    setting: 'any',
    family: true,
    amount: [0, 0],
    describe: (p) => `${p.a}与${p.b}因家庭琐事及子女教育问题长期争吵，矛盾有激化苗头。`,
    agree: () => '双方同意互谅互让、共同承担子女教育，由调解员定期回访。',
  },
];

export interface GridEventTemplate {
  kind: Exclude<GridEventKind, 'DISPUTE'>;
  setting: Setting;
  title: string;
  description: string;
  /** How many residents the event names, [min, max]. */
  involved: readonly [number, number];
}

export const GRID_EVENTS: readonly GridEventTemplate[] = [
  { kind: 'HAZARD', setting: 'community', title: '楼道堆物堵塞消防通道', description: '单元楼道内堆放纸箱、旧家具等杂物，堵塞消防通道。', involved: [0, 1] },
  { kind: 'HAZARD', setting: 'community', title: '电动自行车楼道内充电', description: '居民将电动自行车推入楼道并飞线充电，存在火灾隐患。', involved: [1, 1] },
  { kind: 'HAZARD', setting: 'community', title: '户外燃气管道锈蚀', description: '小区户外燃气立管锈蚀严重，有居民反映闻到异味。', involved: [0, 1] },
  { kind: 'HAZARD', setting: 'village', title: '废弃机井未封口', description: '废弃机井井口未封闭，周边常有儿童玩耍，存在坠落隐患。', involved: [0, 0] },
  { kind: 'HAZARD', setting: 'village', title: '危旧房屋存在坍塌隐患', description: '独居老人居住的土坯房墙体开裂，雨季存在坍塌风险。', involved: [1, 1] },
  { kind: 'HAZARD', setting: 'village', title: '河道冰面有人穿行', description: '冬季河道冰面有群众抄近路穿行，冰层厚度不足。', involved: [0, 0] },
  { kind: 'HAZARD', setting: 'any', title: '私搭乱建占用通道', description: '有居民在公共通道私搭彩钢棚，影响消防车辆通行。', involved: [0, 1] },
  {
    kind: 'PUBLIC_ORDER',
    setting: 'community',
    title: '夜间烧烤摊噪音扰民',
    description: '小区门口烧烤摊经营至凌晨，食客喧哗，周边居民反映强烈。',
    involved: [0, 1],
  },
  { kind: 'PUBLIC_ORDER', setting: 'community', title: '张贴非法小广告', description: '楼道及单元门上被大量张贴办证、贷款类非法小广告。', involved: [0, 0] },
  {
    kind: 'PUBLIC_ORDER',
    setting: 'village',
    title: '疑似聚众赌博',
    description: '群众反映有人在民房内聚众打麻将，疑似涉赌，已报派出所核查。',
    involved: [0, 2],
  },
  { kind: 'PUBLIC_ORDER', setting: 'any', title: '出租屋人员形迹可疑', description: '群众反映出租屋内人员频繁更换、昼伏夜出，形迹可疑。', involved: [0, 1] },
  { kind: 'PUBLIC_ORDER', setting: 'any', title: '酒后滋事', description: '有人酒后在路边吵闹滋事，经网格员劝离后恢复平静。', involved: [1, 2] },
  { kind: 'SERVICE_REQUEST', setting: 'any', title: '独居老人申请上门帮扶', description: '独居老人行动不便，申请志愿者定期上门帮扶。', involved: [1, 1] },
  {
    kind: 'SERVICE_REQUEST',
    setting: 'any',
    title: '咨询城乡居民医保缴费',
    description: '居民咨询城乡居民医疗保险缴费时间及标准，网格员现场解答。',
    involved: [1, 1],
  },
  { kind: 'SERVICE_REQUEST', setting: 'any', title: '申请代办残疾人证', description: '行动不便的居民申请网格员帮助代办残疾人证。', involved: [1, 1] },
  { kind: 'SERVICE_REQUEST', setting: 'any', title: '申请临时救助', description: '居民家中突发变故生活困难，申请临时救助。', involved: [1, 1] },
  { kind: 'SERVICE_REQUEST', setting: 'any', title: '办理居住登记', description: '新迁入人员咨询并申请办理居住登记。', involved: [1, 1] },
  {
    kind: 'SERVICE_REQUEST',
    setting: 'community',
    title: '供暖温度不达标',
    description: '居民反映室内温度低于供暖标准，请求协调供热公司检修。',
    involved: [1, 1],
  },
  { kind: 'SERVICE_REQUEST', setting: 'village', title: '农田灌溉用电报修', description: '村民反映灌溉机井线路故障，请求协调供电所检修。', involved: [1, 1] },
];

export interface IncidentTemplate {
  kind: string;
  summary: string;
  /** Share of such calls where the caller is identified. */
  reporterShare: number;
}

export const INCIDENTS: readonly IncidentTemplate[] = [
  { kind: '求助', summary: '老人走失，民警协助家属在附近找回。', reporterShare: 0.9 },
  { kind: '求助', summary: '车钥匙锁在车内，民警协助联系开锁。', reporterShare: 0.9 },
  { kind: '求助', summary: '醉酒人员倒在路边，民警将其安全送回家中。', reporterShare: 0.4 },
  { kind: '纠纷', summary: '邻里因停车位发生口角，民警到场调解后平息。', reporterShare: 0.8 },
  { kind: '纠纷', summary: '顾客与商户因退货发生争执，民警现场调解。', reporterShare: 0.8 },
  { kind: '纠纷', summary: '家庭成员争吵一方报警，民警到场劝解。', reporterShare: 0.9 },
  { kind: '治安', summary: '报警称有人酒后滋事，民警到场时滋事人员已离开。', reporterShare: 0.6 },
  { kind: '治安', summary: '举报出租屋内疑似聚众赌博，经核查未发现违法行为。', reporterShare: 0.3 },
  { kind: '治安', summary: '群众反映深夜燃放烟花扰民，民警到场劝阻。', reporterShare: 0.6 },
  { kind: '交通', summary: '两车轻微剐蹭，民警引导双方快处快赔。', reporterShare: 0.9 },
  { kind: '交通', summary: '路口信号灯故障，已通知交警部门处置。', reporterShare: 0.5 },
  { kind: '火警', summary: '楼道杂物起火，已扑灭，无人员伤亡。', reporterShare: 0.7 },
  { kind: '火警', summary: '田间焚烧秸秆，民警到场劝阻并协助扑灭。', reporterShare: 0.5 },
  { kind: '咨询', summary: '群众接到冒充客服的电话，报警咨询，未造成损失。', reporterShare: 1 },
];

export interface Charge {
  name: string;
  weight: number;
  /**
   * Weight among cases against minors: the offences they are most often tried for. The demo's
   * juvenile suspects are 16 or 17, an age that answers for every offence (刑法 art. 17).
   */
  juvenileWeight: number;
  victims: readonly [number, number];
  /** Sentence range in months, inside the demo's 6–60. */
  sentence: readonly [number, number];
  /**
   * The gravest principal penalty the offence carries. Arrest needs a possible sentence of at least
   * fixed-term imprisonment (有期徒刑; 刑事诉讼法 art. 81), so an offence punished at most with
   * criminal detention (拘役) is never reviewed for arrest: its suspect is released on bail (取保候审).
   */
  gravest: 'detention' | 'imprisonment';
}

export const CHARGES: readonly Charge[] = [
  { name: '盗窃罪', weight: 28, juvenileWeight: 4, victims: [1, 2], sentence: [6, 36], gravest: 'imprisonment' },
  { name: '诈骗罪', weight: 14, juvenileWeight: 0, victims: [1, 2], sentence: [6, 60], gravest: 'imprisonment' },
  // 拘役 is capped at six months, which is also the floor of the demo's sentence range; 危险驾驶 carries
  // nothing graver (刑法 art. 133-1).
  { name: '危险驾驶罪', weight: 14, juvenileWeight: 0, victims: [0, 0], sentence: [6, 6], gravest: 'detention' },
  { name: '故意伤害罪', weight: 10, juvenileWeight: 2, victims: [1, 1], sentence: [6, 48], gravest: 'imprisonment' },
  { name: '寻衅滋事罪', weight: 9, juvenileWeight: 2, victims: [0, 2], sentence: [6, 36], gravest: 'imprisonment' },
  { name: '帮助信息网络犯罪活动罪', weight: 8, juvenileWeight: 0, victims: [0, 0], sentence: [6, 30], gravest: 'imprisonment' },
  { name: '开设赌场罪', weight: 5, juvenileWeight: 0, victims: [0, 0], sentence: [6, 60], gravest: 'imprisonment' },
  { name: '掩饰、隐瞒犯罪所得罪', weight: 4, juvenileWeight: 0, victims: [0, 0], sentence: [6, 36], gravest: 'imprisonment' },
  { name: '抢劫罪', weight: 4, juvenileWeight: 1, victims: [1, 1], sentence: [36, 60], gravest: 'imprisonment' },
  { name: '非法拘禁罪', weight: 3, juvenileWeight: 0, victims: [1, 1], sentence: [6, 36], gravest: 'imprisonment' },
];

export const LEGAL_AID_MATTERS: readonly string[] = [
  '追索劳动报酬',
  '工伤赔偿',
  '交通事故人身损害赔偿',
  '离婚纠纷',
  '赡养费纠纷',
  '民间借贷纠纷',
  '医疗损害赔偿',
  '人身损害赔偿',
];

/** Minors accused of a crime get a legal-aid defender whether they apply or not (刑事诉讼法 art. 278). */
export const JUVENILE_DEFENCE_MATTER = '刑事辩护（未成年犯罪嫌疑人）';

const VOLUNTEER_GROUP_THEMES: readonly string[] = [
  '红马甲志愿服务队',
  '平安志愿者协会',
  '巾帼志愿服务队',
  '青年志愿者协会',
  '法律服务志愿队',
  '夕阳红志愿服务队',
  '义警志愿服务队',
  '党员先锋志愿服务队',
  '网格志愿服务队',
  '矛盾纠纷调解志愿队',
];
export const CITY_VOLUNTEER_GROUP = '葫芦岛市蓝天救援队';

export function volunteerGroupsOf(district: District): string[] {
  return VOLUNTEER_GROUP_THEMES.map((theme) => district.name + theme);
}

/** The city's 61 registered volunteer groups: ten per district and one city-wide team. */
export const VOLUNTEER_GROUPS: readonly string[] = [...DISTRICTS.flatMap(volunteerGroupsOf), CITY_VOLUNTEER_GROUP];
