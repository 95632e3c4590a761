/**
 * Huludao's county-level divisions and a selection of their real townships (乡镇街道): the city
 * the hub serves, read by the demo city and by the organisational units (src/shared/orgUnits.ts),
 * which the gateway checks tokens against — hence in shared, not in the demo.
 */

export const PROVINCE_NAME = '辽宁省';
export const CITY_NAME = '葫芦岛市';
export const CITY_CODE = '211400';
/** The intermediate people's court's code in case numbers: `辽14` in `(2026)辽14刑终12号`, the appeals of every district's court. */
export const INTERMEDIATE_COURT_CODE = '辽14';

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
