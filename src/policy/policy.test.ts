import type { Viewer } from '../auth/viewer';
import { parsePolicy, PolicyError } from './policy';

const POLICY = `
version: 1
roles: { police: [household, investigator] }
types:
  Query: { visible: [admin], audit: false, fields: { person: { grid: allow } } }
  Person:
    visible: [grid, police]
    scope: gridCode
    sealed: sealed
    handler: officer
    caseKeys: [id]
    notFoundOutside: [grid]
    fields:
      name: { grid: { if: jurisdiction, then: allow, else: { mask: name } }, police: allow }
      idNumber: { grid: { if: [jurisdiction, caseBound], then: allow, else: deny } }
      record: { police: { if: notSealed, then: allow, else: { if: handlesCase, then: allow } } }
      phone: { police: { ifAny: [jurisdiction, caseBound, breakGlass], then: allow, else: { mask: phone } } }
      household: { police: { if: role:household, then: allow } }
  Handoff:
    visible: [police, procuratorate, grid]
    parties: [fromAgency, toAgency]
    fields:
      note: { police: { if: party, then: allow, else: { mask: text } }, procuratorate: { if: party, then: allow, else: { mask: text } }, grid: { if: party, then: allow, else: { mask: text } } }
  "*Connection": { visible: all }
`;

const viewer = (agency: Viewer['agency'], jurisdiction: string[] = [], sub = 'u1'): Viewer => ({ sub, name: sub, agency, roles: [], jurisdiction });

describe('policy decisions', () => {
  const policy = parsePolicy(POLICY);

  it('knows which fields a rule can mask, in any branch of its conditions', () => {
    expect(['name', 'idNumber', 'record', 'phone', 'household', 'nowhere'].filter((f) => policy.canMask('Person', f))).toEqual(['name', 'phone']);
    expect(policy.canMask('Unknown', 'name')).toBe(false);
  });
  const inside = { id: 'p1', gridCode: '211402001001', sealed: false, officer: 'po-1' };
  const outside = { id: 'p2', gridCode: '211403001001', sealed: true, officer: 'po-1' };

  it('applies jurisdiction conditions to the record', () => {
    const grid = viewer('grid', ['211402']);
    expect(policy.decide('Person', 'name', inside, { viewer: grid, purpose: null })).toMatchObject({ outcome: 'allow', sensitive: true });
    expect(policy.decide('Person', 'name', outside, { viewer: grid, purpose: null })).toMatchObject({
      outcome: 'mask',
      mask: 'name',
      reason: 'outside your jurisdiction',
    });
  });

  it("decides a record's fields alike with the conditions of the first reused for the rest", () => {
    const facts = { viewer: { ...viewer('police', ['211402']), roles: ['household'] }, purpose: 'case:A1', established: new Set(['p2']) };
    for (const record of [inside, outside]) {
      const memo = new Map();
      for (const field of ['name', 'record', 'phone', 'household', 'idNumber']) {
        expect(policy.decide('Person', field, record, facts, memo)).toEqual(policy.decide('Person', field, record, facts));
      }
      // Each condition the fields tested, once, with its outcome for this record.
      expect(memo.get('notSealed')).toBe(record === inside);
      expect(memo.get('jurisdiction')).toBe(record === inside);
    }
  });

  it('treats a city code as covering every district', () => {
    expect(policy.decide('Person', 'name', outside, { viewer: viewer('grid', ['211400']), purpose: null }).outcome).toBe('allow');
  });

  it('requires every condition of a list; free purpose text binds no case', () => {
    const grid = viewer('grid', ['211402']);
    expect(policy.decide('Person', 'idNumber', inside, { viewer: grid, purpose: 'case A1' })).toMatchObject({
      outcome: 'deny',
      reason: 'the record is not part of a case you stated and handle',
    });
    expect(policy.decide('Person', 'idNumber', inside, { viewer: grid, purpose: 'case:A1', established: new Set(['p1']) }).outcome).toBe('allow');
  });

  it('takes the first condition of ifAny that holds, and marks a break-glass opening', () => {
    const police = viewer('police', ['211402']);
    expect(policy.decide('Person', 'phone', outside, { viewer: police, purpose: null })).toMatchObject({ outcome: 'mask', mask: 'phone' });
    expect(policy.decide('Person', 'phone', inside, { viewer: police, purpose: null, breakGlass: 'a reason of some length' })).toMatchObject({
      outcome: 'allow',
      reason: 'inside your jurisdiction',
    });
    expect(policy.decide('Person', 'phone', inside, { viewer: police, purpose: null }).breakGlass).toBeUndefined();
    expect(policy.decide('Person', 'phone', outside, { viewer: police, purpose: null, breakGlass: 'a reason of some length' })).toMatchObject({
      outcome: 'allow',
      breakGlass: true,
    });
  });

  it('tests roles from the token', () => {
    expect(policy.decide('Person', 'household', inside, { viewer: { ...viewer('police'), roles: ['household'] }, purpose: null }).outcome).toBe('allow');
    expect(policy.decide('Person', 'household', inside, { viewer: { ...viewer('police'), roles: ['investigator'] }, purpose: null })).toMatchObject({
      outcome: 'deny',
      reason: 'you do not hold the role household',
    });
  });

  it('opens sealed records only to the handling officer', () => {
    expect(policy.decide('Person', 'record', inside, { viewer: viewer('police'), purpose: null }).outcome).toBe('allow');
    expect(policy.decide('Person', 'record', outside, { viewer: viewer('police', [], 'po-2'), purpose: null })).toMatchObject({
      outcome: 'deny',
      reason: 'the record is sealed; you do not handle the case',
    });
    expect(policy.decide('Person', 'record', outside, { viewer: viewer('police', [], 'po-1'), purpose: null }).outcome).toBe('allow');
  });

  it("opens a handoff's text to the agencies that are its sides, masked for the others", () => {
    const handoff = { fromAgency: 'police', toAgency: 'procuratorate' };
    for (const side of ['police', 'procuratorate'] as const) {
      expect(policy.decide('Handoff', 'note', handoff, { viewer: viewer(side), purpose: null })).toMatchObject({
        outcome: 'allow',
        reason: 'your agency is a side of the record (sender, receiver or the one reported back to)',
      });
    }
    expect(policy.decide('Handoff', 'note', handoff, { viewer: viewer('grid'), purpose: null })).toMatchObject({ outcome: 'mask', mask: 'text' });
    expect(policy.explain('Handoff', 'note', 'grid').rule).toBe(
      'allow if your agency is a side of the record (sender, receiver or the one reported back to), else mask (text)',
    );
  });

  it('denies what is not listed: other agencies, unknown types, invisible types', () => {
    expect(policy.decide('Person', 'idNumber', inside, { viewer: viewer('police'), purpose: 'x' })).toMatchObject({
      outcome: 'deny',
      reason: 'not granted to police',
    });
    expect(policy.decide('Secret', 'x', inside, { viewer: viewer('admin'), purpose: null }).outcome).toBe('deny');
    expect(policy.decide('Person', 'gender', inside, { viewer: viewer('court'), purpose: null }).outcome).toBe('deny');
    expect(policy.decide('Person', 'gender', inside, { viewer: viewer('grid'), purpose: null })).toMatchObject({ outcome: 'allow', sensitive: false });
    expect(policy.decide('PersonConnection', 'edges', null, { viewer: viewer('analyst'), purpose: null }).outcome).toBe('allow');
  });

  it('scopes lists for every agency, and every path only for the agencies in notFoundOutside', () => {
    expect(policy.rowScope('Person', viewer('grid', ['211402001001', '211400']))).toEqual({
      property: 'gridCode',
      prefixes: ['211402001001', '2114'],
      caseKeys: ['id'],
    });
    expect(policy.rowScope('Person', viewer('police', ['211402']))).toEqual({ property: 'gridCode', prefixes: ['211402'], caseKeys: ['id'] });
    expect(policy.rowScope('Person', viewer('grid', ['211402']), true)).not.toBeNull();
    expect(policy.rowScope('Person', viewer('police', ['211402']), true)).toBeNull();
  });

  it('explains rules in words', () => {
    expect(policy.explain('Person', 'name', 'grid').rule).toBe('allow if inside your jurisdiction, else mask (name)');
    expect(policy.explain('Person', 'idNumber', 'court').rule).toBe('deny (not listed)');
  });
});

describe('policy validation names the bad entry', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['unknown agency', 'version: 1\nroles: {}\ntypes:\n  Person: { visible: [sheriff] }', /types\.Person\.visible/],
    [
      'unknown mask kind',
      'version: 1\nroles: {}\ntypes:\n  Person: { visible: all, fields: { name: { grid: { mask: blur } } } }',
      /types\.Person\.fields\.name\.grid/,
    ],
    [
      'unknown condition',
      'version: 1\nroles: {}\ntypes:\n  Person: { visible: all, scope: g, fields: { name: { grid: { if: moon, then: allow } } } }',
      /types\.Person\.fields\.name\.grid/,
    ],
    [
      'jurisdiction without scope',
      'version: 1\nroles: {}\ntypes:\n  Person: { visible: all, fields: { name: { grid: { if: jurisdiction, then: allow } } } }',
      /types\.Person\.fields\.name\.grid: condition "jurisdiction" needs "scope"/,
    ],
    [
      'party without parties',
      'version: 1\nroles: {}\ntypes:\n  Handoff: { visible: all, fields: { note: { grid: { if: party, then: allow } } } }',
      /types\.Handoff\.fields\.note\.grid: condition "party" needs "parties"/,
    ],
    ['missing visible', 'version: 1\nroles: {}\ntypes:\n  Person: { fields: {} }', /types\.Person/],
    ['wrong version', 'version: 2\ntypes: {}', /version/],
    ['not YAML', 'version: [1', /not valid YAML/],
  ];
  it.each(cases)('%s', (_name, text, message) => {
    expect(() => parsePolicy(text)).toThrow(PolicyError);
    expect(() => parsePolicy(text)).toThrow(message);
  });

  it('accepts the shipped policy file', () => {
    const { loadPolicy } = jest.requireActual<typeof import('./policy')>('./policy');
    expect(() => loadPolicy()).not.toThrow();
  });
});
