import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { getNamedType, isLeafType, isObjectType, type GraphQLObjectType } from 'graphql';
import { repoRoot } from '../shared/paths';
import { readStatisticsColumns } from '../shared/statisticsColumns';
import { csvField, DENIED, statisticsQueries, toCsv, WITHHELD } from './csv';

describe('CSV for spreadsheets', () => {
  it('quotes fields with commas, quotes or line breaks, doubling the quotes', () => {
    expect(csvField('连山区')).toBe('连山区');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField(0)).toBe('0');
    expect(csvField(null)).toBe('');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField(-1)).toBe('-1');
  });

  const caseFlow = statisticsQueries(readStatisticsColumns()).caseFlow;
  const header = '区划代码,名称,公安·立案,公安·移送审查起诉,检察·受理,检察·提起公诉,法院·刑事一审立案,法院·有罪判决,司法·社区矫正';

  it('labels columns in Chinese from the query, whatever the answer holds: a denied department is marks, not a stray column', () => {
    const rows = [
      {
        row: {
          code: '211402',
          name: '连山区',
          caseFlow: {
            police: { filed: 12, transferred: null, suppressedFields: ['transferred'] },
            procuratorate: null,
            court: null,
            justice: { communityCorrections: 0, suppressedFields: [] },
          },
        },
        at: ['districts', 0],
      },
    ];
    // The procuratorate's part was denied (an error on its path); the court's is simply absent.
    const csv = toCsv(caseFlow, rows, new Set(['districts.0.caseFlow.procuratorate']));
    expect(csv.split('\r\n')).toEqual([
      `\uFEFF${header}`,
      `211402,连山区,12,${WITHHELD},${DENIED},${DENIED},,,0`,
      '',
      expect.stringMatching(/^\* 不公开：小于公布门槛的计数/),
      expect.stringMatching(/^— 无权查看：/),
      '',
    ]);
  });

  it('writes UTF-8 with a byte-order mark and CRLF, and no footer when no cell is marked', () => {
    const rows = [{ row: { code: '211403', name: '龙港区', caseFlow: null }, at: ['districts', 1] }];
    expect(toCsv(caseFlow, rows, new Set())).toBe(`\uFEFF${header}\r\n211403,龙港区,,,,,,,\r\n`);
  });

  it('has a column for every figure of every statistics object and flow stage in the supergraph, and none for anything else', () => {
    const api = Supergraph.build(readFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8'))
      .apiSchema()
      .toGraphQLJSSchema();
    const object = (name: string) => api.getType(name) as GraphQLObjectType;
    /** The statistics objects under a type's fields (those that say which of their counts are withheld), with their figures. */
    const statisticsUnder = (type: GraphQLObjectType) =>
      Object.values(type.getFields()).flatMap((f) => {
        const t = f.type;
        return isObjectType(t) && t.getFields().suppressedFields
          ? [
              {
                field: f.name,
                // Figures are numbers; an object under a statistics object (its `yearOnYear` changes) is asked on its own, not exported.
                figures: Object.entries(t.getFields())
                  .filter(([n, field]) => n !== 'suppressedFields' && isLeafType(getNamedType(field.type)))
                  .map(([n]) => n)
                  .sort(),
              },
            ]
          : [];
      });
    const declared = (groups: Array<{ field: string; figures: Array<[string, string]> }>) =>
      groups.map((g) => ({ field: g.field, figures: g.figures.map(([f]) => f).sort() }));
    const byField = (a: { field: string }, b: { field: string }) => a.field.localeCompare(b.field);
    const columns = readStatisticsColumns();
    expect(declared(columns.districts).sort(byField)).toEqual(statisticsUnder(object('District')).sort(byField));
    expect(declared(columns.districts).sort(byField)).toEqual(statisticsUnder(object('DistrictMonth')).sort(byField));
    expect(declared(columns.caseFlow).sort(byField)).toEqual(statisticsUnder(object('CaseFlow')).sort(byField));
    expect(declared(columns.disputeFlow).sort(byField)).toEqual(statisticsUnder(object('DisputeFlow')).sort(byField));
    expect(columns.districts.length).toBeGreaterThanOrEqual(5);
  });
});
