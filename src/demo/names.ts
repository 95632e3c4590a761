/**
 * Realistic Chinese personal names and mobile numbers for the demo city.
 */

import type { Random } from './random';

export type Gender = 'MALE' | 'FEMALE';

/**
 * Surnames weighted by their approximate share of the national population (per ten thousand), with
 * a few surnames common in western Liaoning (关, 佟, 那 — often Manchu families) given their local
 * weight.
 */
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 712], ['李', 700], ['张', 674], ['刘', 540], ['陈', 461], ['杨', 322], ['赵', 229], ['黄', 245],
  ['周', 198], ['吴', 200], ['徐', 145], ['孙', 138], ['胡', 116], ['朱', 128], ['高', 100], ['林', 101],
  ['何', 106], ['郭', 115], ['马', 129], ['罗', 86], ['梁', 75], ['宋', 61], ['郑', 78], ['谢', 63],
  ['韩', 51], ['唐', 57], ['冯', 50], ['于', 37], ['董', 41], ['萧', 5], ['肖', 43], ['程', 32],
  ['曹', 45], ['袁', 39], ['邓', 49], ['许', 52], ['傅', 18], ['付', 16], ['沈', 26], ['曾', 44],
  ['彭', 45], ['吕', 29], ['苏', 31], ['卢', 25], ['蒋', 37], ['蔡', 36], ['贾', 18], ['丁', 28],
  ['魏', 30], ['薛', 13], ['叶', 33], ['阎', 6], ['闫', 12], ['余', 35], ['潘', 38], ['杜', 34],
  ['戴', 8], ['夏', 17], ['钟', 23], ['汪', 20], ['田', 42], ['任', 27], ['姜', 25], ['范', 20],
  ['方', 16], ['石', 19], ['姚', 26], ['谭', 22], ['廖', 18], ['邹', 15], ['熊', 14], ['金', 19],
  ['陆', 21], ['郝', 9], ['孔', 8], ['白', 15], ['崔', 24], ['康', 7], ['毛', 10], ['邱', 14],
  ['秦', 14], ['江', 13], ['史', 11], ['顾', 10], ['侯', 11], ['邵', 9], ['孟', 15], ['龙', 11],
  ['万', 9], ['段', 12], ['雷', 12], ['钱', 9], ['汤', 8], ['尹', 13], ['黎', 10], ['易', 7],
  ['常', 7], ['武', 8], ['乔', 6], ['贺', 10], ['赖', 6], ['龚', 9], ['文', 6], ['关', 12],
  ['佟', 8], ['那', 3], ['齐', 6], ['柴', 4], ['鲍', 3], ['单', 4], ['全', 2], ['隋', 3],
];

interface GivenNamePool {
  /** Two-character given names typical of the generation. */
  double: readonly string[];
  single: readonly string[];
  /** Share of one-character given names in that generation. */
  singleShare: number;
}

type Generation = 'elder' | 'middle' | 'young';

/** Given names follow fashions, so each pool belongs to a generation (born before 1970, to 1994, after). */
const GIVEN_NAMES: Record<Gender, Record<Generation, GivenNamePool>> = {
  MALE: {
    elder: {
      double: ['国庆', '建国', '建华', '建军', '志刚', '志强', '立新', '卫东', '向东', '永胜', '振华', '德明',
        '福林', '长海', '玉林', '宝山', '金生', '树林', '凤山', '庆祥', '春生', '占山', '宝贵', '德胜',
        '洪亮', '连生', '文斌', '秀峰', '忠义', '广才'],
      single: ['军', '刚', '强', '明', '华', '林', '斌', '忠', '义', '海', '山', '武', '勇', '彬', '成'],
      singleShare: 0.3,
    },
    middle: {
      double: ['海涛', '志伟', '建明', '晓东', '明亮', '宏伟', '国栋', '永刚', '春雷', '海波', '立军', '俊杰',
        '文博', '鹏飞', '振宇', '成龙', '晓光', '忠诚', '德利', '长江', '铁军', '大伟', '士杰', '庆丰',
        '东升', '显峰', '亚东', '洪涛', '景瑞', '立伟'],
      single: ['伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '鹏', '辉', '峰', '亮', '刚', '波', '鑫',
        '东', '宁', '猛', '雷'],
      singleShare: 0.35,
    },
    young: {
      double: ['子轩', '浩然', '宇航', '梓睿', '俊熙', '浩宇', '博文', '一鸣', '皓轩', '子豪', '天佑', '明哲',
        '思远', '睿泽', '嘉懿', '宇轩', '沐宸', '奕辰', '浩轩', '子墨', '家豪', '晨阳', '泽宇', '佳乐',
        '铭泽', '锦程', '俊豪', '昊然', '梓航', '文轩'],
      single: ['航', '晨', '睿', '阳', '宇', '轩', '博', '昊', '哲', '凯', '畅', '旭'],
      singleShare: 0.15,
    },
  },
  FEMALE: {
    elder: {
      double: ['桂兰', '淑珍', '秀英', '玉兰', '凤英', '秀兰', '桂芝', '淑芬', '玉珍', '素芳', '春兰', '桂荣',
        '秀云', '淑兰', '玉梅', '凤兰', '翠兰', '桂香', '金凤', '丽华', '秀珍', '亚琴', '彩霞', '红梅',
        '淑华', '凤琴', '玉芝', '秀芝', '桂英', '素云'],
      single: ['英', '兰', '芳', '珍', '霞', '华', '梅', '凤', '琴', '荣', '娥', '芬'],
      singleShare: 0.2,
    },
    middle: {
      double: ['丽娜', '晓燕', '海燕', '红艳', '丽丽', '秀丽', '晓丽', '春燕', '艳华', '美玲', '雪梅', '静怡',
        '婷婷', '晓红', '丽娟', '艳丽', '文静', '亚楠', '海霞', '微微', '莉莉', '晶晶', '丹丹', '淑娟',
        '红霞', '冬梅', '雪莲', '慧敏', '晓婷', '玉洁'],
      single: ['丽', '静', '敏', '燕', '艳', '娟', '娜', '霞', '玲', '颖', '红', '洁', '萍', '丹', '琳', '莹'],
      singleShare: 0.35,
    },
    young: {
      double: ['梓涵', '欣怡', '诗涵', '雨桐', '一诺', '子涵', '佳怡', '可馨', '思彤', '雨欣', '紫萱', '梦瑶',
        '语嫣', '芷若', '若汐', '晨曦', '艺涵', '欣妍', '思琪', '梓萱', '佳琪', '安琪', '悦彤', '书瑶',
        '雨涵', '诗琪', '梦琪', '嘉怡', '心怡', '沐晴'],
      single: ['琪', '萱', '彤', '悦', '涵', '菲', '瑶', '妍', '怡', '璐', '潇', '冉'],
      singleShare: 0.15,
    },
  },
};

function generation(birthYear: number): Generation {
  if (birthYear < 1970) return 'elder';
  if (birthYear < 1995) return 'middle';
  return 'young';
}

export function surname(rng: Random): string {
  return rng.weighted(SURNAMES);
}

function givenName(rng: Random, gender: Gender, birthYear: number): string {
  const pool = GIVEN_NAMES[gender][generation(birthYear)];
  return rng.chance(pool.singleShare) ? rng.pick(pool.single) : rng.pick(pool.double);
}

/** A full name; pass `familyName` when the surname is inherited rather than drawn. */
export function personName(rng: Random, gender: Gender, birthYear: number, familyName?: string): string {
  return (familyName ?? surname(rng)) + givenName(rng, gender, birthYear);
}

/** Mobile number segments of the three carriers, the long-established ones weighted up. */
const MOBILE_PREFIXES: readonly (readonly [string, number])[] = [
  ...['130', '131', '132', '133', '134', '135', '136', '137', '138', '139'].map((p) => [p, 10] as const),
  ...['150', '151', '152', '153', '155', '156', '157', '158', '159'].map((p) => [p, 8] as const),
  ...['180', '181', '182', '183', '184', '185', '186', '187', '188', '189'].map((p) => [p, 6] as const),
  ...['147', '166', '176', '177', '198', '199'].map((p) => [p, 3] as const),
];

/** An 11-digit mobile number. */
export function mobilePhone(rng: Random): string {
  return rng.weighted(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}
