import { canonicalEntry, chainHash, GENESIS_HASH, type StoredEntry } from './chain';

const entry = (over: Partial<StoredEntry> = {}): StoredEntry => ({
  chain: 'grid',
  chainSeq: '1',
  at: new Date('2026-11-29T01:00:00.000Z'),
  requestId: 'r1',
  subject: 'po-1',
  agency: 'police',
  operation: 'PersonView',
  documentHash: 'abc',
  purpose: null,
  entityType: 'Person',
  entityId: 'P1',
  field: 'idNumber',
  decision: 'allow',
  reason: 'allowed',
  paths: ['person.idNumber'],
  fields: null,
  breakGlass: false,
  sealed: false,
  ...over,
});

describe('audit hash chain', () => {
  it('is deterministic and depends on the previous hash', () => {
    expect(chainHash(GENESIS_HASH, entry())).toBe(chainHash(GENESIS_HASH, entry()));
    expect(chainHash(GENESIS_HASH, entry())).not.toBe(chainHash('1'.repeat(64), entry()));
  });

  it('changes when any field changes', () => {
    const base = chainHash(GENESIS_HASH, entry());
    const changes: Partial<StoredEntry>[] = [
      { chain: 'police' },
      { chainSeq: '2' },
      { at: new Date('2026-11-29T01:00:00.001Z') },
      { requestId: 'r2' },
      { subject: 'po-2' },
      { agency: 'court' },
      { operation: null },
      { documentHash: 'abd' },
      { purpose: 'x' },
      { entityType: 'PersonX' },
      { entityId: 'P2' },
      { field: 'name' },
      { decision: 'deny' },
      { reason: 'x' },
      { paths: ['person.idNumber', 'b.idNumber'] },
      { fields: [] },
      { breakGlass: true },
      { sealed: true },
    ];
    for (const c of changes) expect(chainHash(GENESIS_HASH, entry(c))).not.toBe(base);
  });

  it('keeps fields apart (no ambiguity between adjacent values)', () => {
    expect(canonicalEntry(entry({ subject: 'a', agency: 'bc' }))).not.toBe(canonicalEntry(entry({ subject: 'ab', agency: 'c' })));
  });
});
