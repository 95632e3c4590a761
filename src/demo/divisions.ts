/**
 * Huludao's county-level divisions and a selection of their real townships (乡镇街道), plus the
 * village and community names the demo's grids cover.
 */

import type { Random } from './random';

export const PROVINCE_NAME = '辽宁省';
export const CITY_NAME = '葫芦岛市';
export const CITY_CODE = '211400';

/** 街道 (urban subdistrict), 镇 (town) or 乡 (rural township). */
export type TownshipKind = 'SUBDISTRICT' | 'TOWN' | 'RURAL';

export interface District {
  code: string;
  name: string;
  /** Court code inside case numbers, e.g. `辽1402` in `(2025)辽1402刑初12号`. */
  courtCode: string;
  /** One-character abbreviation in procuratorate case numbers, e.g. `连检刑诉〔2025〕12号`. */
  abbreviation: string;
  /** Real townships, ordered so that any prefix mixes urban and rural ones where the district has both. */
  townships: readonly string[];
  /**
   * Resident population (常住人口) at the 2020 census (第七次全国人口普查, 2020-11-01): the weight the demo
   * allots residents by. Sources, and which figures are derived rather than read, in docs/domain.md.
   */
  census2020: number;
}

export interface Township {
  code: string;
  name: string;
  kind: TownshipKind;
  districtCode: string;
}

export const DISTRICTS: readonly District[] = [
  {
    code: '211402',
    name: '连山区',
    courtCode: '辽1402',
    abbreviation: '连',
    townships: ['连山街道', '钢屯镇', '塔山乡', '兴工街道', '寺儿堡镇', '白马石乡', '站前街道', '新台门镇', '渤海街道', '山神庙子乡'],
    census2020: 468_110,
  },
  {
    code: '211403',
    name: '龙港区',
    courtCode: '辽1403',
    abbreviation: '龙',
    townships: ['葫芦岛街道', '双树乡', '龙湾街道', '马仗房街道', '滨海街道', '双龙街道', '玉皇街道', '连湾街道', '北港街道'],
    census2020: 300_000,
  },
  {
    code: '211404',
    name: '南票区',
    courtCode: '辽1404',
    abbreviation: '南',
    townships: ['沙锅屯街道', '缸窑岭镇', '暖池塘镇', '九龙街道', '高桥镇', '虹螺岘镇', '金星镇', '黄土坎乡', '大兴乡', '张相公屯乡'],
    census2020: 176_385,
  },
  {
    code: '211421',
    name: '绥中县',
    courtCode: '辽1421',
    abbreviation: '绥',
    townships: ['绥中镇', '前所镇', '西甸子镇', '宽邦镇', '万家镇', '高岭镇', '前卫镇', '大王庙镇', '城郊乡', '永安堡乡'],
    census2020: 487_519,
  },
  {
    code: '211422',
    name: '建昌县',
    courtCode: '辽1422',
    abbreviation: '建',
    townships: ['建昌镇', '汤神庙镇', '小德营子乡', '八家子镇', '喇嘛洞镇', '药王庙镇', '玲珑塔镇', '素珠营子乡', '要路沟乡', '巴什罕乡'],
    census2020: 450_000,
  },
  {
    code: '211481',
    name: '兴城市',
    courtCode: '辽1481',
    abbreviation: '兴',
    townships: ['古城街道', '红崖子镇', '沙后所满族镇', '宁远街道', '温泉街道', '曹庄镇', '徐大堡镇', '东辛庄满族镇', '白塔满族乡', '望海满族乡'],
    census2020: 552_180,
  },
];

function townshipKind(name: string): TownshipKind {
  if (name.endsWith('街道')) return 'SUBDISTRICT';
  if (name.endsWith('镇')) return 'TOWN';
  if (name.endsWith('乡')) return 'RURAL';
  throw new Error(`not a township name: ${name}`);
}

/** Numbering block of each kind inside a district: 街道 001…, 镇 101…, 乡 201…. */
const KIND_BASE: Record<TownshipKind, number> = { SUBDISTRICT: 0, TOWN: 100, RURAL: 200 };

/** A district's townships with their 9-digit codes, in the district's listed order. */
export function townshipsOf(district: District): Township[] {
  const counts: Record<TownshipKind, number> = { SUBDISTRICT: 0, TOWN: 0, RURAL: 0 };
  return district.townships.map((name) => {
    const kind = townshipKind(name);
    counts[kind] += 1;
    return {
      code: district.code + String(KIND_BASE[kind] + counts[kind]).padStart(3, '0'),
      name,
      kind,
      districtCode: district.code,
    };
  });
}

/**
 * Where floating residents' ID numbers come from: other Liaoning counties first, then the
 * neighbouring provinces (all real GB/T 2260 county-level codes).
 */
export const ORIGIN_REGION_CODES: readonly (readonly [string, number])[] = [
  ['211302', 6], // 朝阳市双塔区
  ['211322', 6], // 建平县
  ['211381', 5], // 北票市
  ['210702', 5], // 锦州市古塔区
  ['210726', 4], // 黑山县
  ['210102', 3], // 沈阳市和平区
  ['210211', 3], // 大连市甘井子区
  ['210902', 3], // 阜新市海州区
  ['211021', 2], // 辽阳县
  ['210881', 2], // 盖州市
  ['130302', 3], // 秦皇岛市海港区
  ['130303', 3], // 秦皇岛市山海关区
  ['130102', 2], // 石家庄市长安区
  ['150102', 2], // 呼和浩特市新城区
  ['150404', 3], // 赤峰市松山区
  ['220102', 2], // 长春市南关区
  ['230102', 2], // 哈尔滨市道里区
  ['370102', 1], // 济南市历下区
  ['410102', 1], // 郑州市中原区
];

/* Village names in western Liaoning are mostly a qualifier plus a landform or settlement word,
   many of them from Qing-era settlements (杖子 fence, 营子 camp, 窝铺 hut). */
const VILLAGE_QUALIFIERS: readonly string[] = [
  '东',
  '西',
  '南',
  '北',
  '前',
  '后',
  '大',
  '小',
  '上',
  '下',
  '新',
  '老',
  '头道',
  '二道',
  '三道',
  '王家',
  '李家',
  '张家',
  '刘家',
  '赵家',
  '孙家',
  '高家',
  '杨家',
  '于家',
  '郭家',
  '马家',
  '何家',
  '白家',
  '关家',
  '佟家',
  '石',
  '柳',
  '杨树',
  '榆树',
  '黄土',
  '红石',
  '梨树',
  '杏山',
  '柳条',
  '砬子',
  '泉水',
  '松树',
  '桃花',
  '沙河',
  '青石',
  '腰',
];
const VILLAGE_SETTLEMENTS: readonly string[] = [
  '屯',
  '沟',
  '杖子',
  '营子',
  '窝铺',
  '台',
  '堡',
  '岭',
  '甸子',
  '庄',
  '山',
  '坎',
  '河',
  '洼',
  '嘴子',
  '房子',
  '河套',
];
const VILLAGE_WHOLE_NAMES: readonly string[] = [
  '新立屯',
  '河东',
  '河西',
  '前进',
  '红旗',
  '胜利',
  '光明',
  '和平',
  '团结',
  '新民',
  '兴隆',
  '太平',
  '永安',
  '富裕',
  '丰收',
  '朝阳',
];
const COMMUNITY_STEMS: readonly string[] = [
  '兴工',
  '新华',
  '建设',
  '和平',
  '胜利',
  '红旗',
  '滨海',
  '望海',
  '龙湾',
  '锦华',
  '铁路',
  '化工',
  '石油',
  '北港',
  '海韵',
  '宁远',
  '古城',
  '温泉',
  '菊花',
  '幸福',
  '阳光',
  '东城',
  '西城',
  '南山',
  '北山',
  '金地',
  '龙港',
  '世纪',
  '海星',
  '文化',
  '站前',
  '东风',
  '向阳',
  '振兴',
  '春城',
  '渤海',
  '鑫源',
  '锦绣',
  '明珠',
  '丽景',
];
const COMMUNITY_SUFFIXES: readonly (readonly [string, number])[] = [
  ['', 6],
  ['里', 2],
  ['园', 2],
  ['苑', 1],
  ['街', 1],
  ['路', 1],
];

function villageName(rng: Random): string {
  const form = rng.weighted([
    ['settlement', 9],
    ['whole', 1],
  ] as const);
  if (form === 'whole') return `${rng.pick(VILLAGE_WHOLE_NAMES)}村`;
  for (;;) {
    const qualifier = rng.pick(VILLAGE_QUALIFIERS);
    const settlement = rng.pick(VILLAGE_SETTLEMENTS);
    // Skip doubled characters such as 沙河 + 河.
    if (!qualifier.endsWith(settlement[0])) return `${qualifier}${settlement}村`;
  }
}

function communityName(rng: Random): string {
  return `${rng.pick(COMMUNITY_STEMS)}${rng.weighted(COMMUNITY_SUFFIXES)}社区`;
}

/**
 * `count` distinct names of the villages (村, for 镇 and 乡) or residential communities (社区, for
 * 街道) of one township. Each name ends with 村 or 社区 and contains neither earlier, because
 * address masking cuts an address right after that word.
 */
export function localityNames(rng: Random, kind: TownshipKind, count: number): string[] {
  const names = new Set<string>();
  for (let attempt = 0; names.size < count; attempt++) {
    if (attempt > count * 50) throw new RangeError(`cannot name ${count} distinct localities`);
    names.add(kind === 'SUBDISTRICT' ? communityName(rng) : villageName(rng));
  }
  return [...names];
}
