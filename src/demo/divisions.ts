/**
 * Huludao's divisions (from src/shared/huludao.ts) and the village and community names the demo's
 * grids cover.
 */

import type { Random } from './random';
import type { TownshipKind } from '../shared/huludao';

export { CITY_CODE, CITY_NAME, DISTRICTS, PROVINCE_NAME, townshipsOf, type District, type Township, type TownshipKind } from '../shared/huludao';

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
