import { canonicalEntry, chainHash, GENESIS_HASH, type AccessEntry } from './chain';

const entry = (over: Partial<AccessEntry> = {}): AccessEntry => ({
  at: new Date('2026-11-29T01:00:00.000Z'), requestId: 'r1', subject: 'po-1', agency: 'police', operation: 'PersonView',
  documentHash: 'abc', purpose: null, subgraph: 'grid', entityType: 'Person', entityId: 'P1', field: 'idNumber', decision: 'allow', reason: 'allowed', ...over,
});

describe('audit hash chain', () => {
  it('is deterministic and depends on the previous hash', () => {
    expect(chainHash(GENESIS_HASH, entry())).toBe(chainHash(GENESIS_HASH, entry()));
    expect(chainHash(GENESIS_HASH, entry())).not.toBe(chainHash('1'.repeat(64), entry()));
  });

  it('changes when any field changes', () => {
    const base = chainHash(GENESIS_HASH, entry());
    const changes: Partial<AccessEntry>[] = [
      { at: new Date('2026-11-29T01:00:00.001Z') }, { requestId: 'r2' }, { subject: 'po-2' }, { agency: 'court' }, { operation: null },
      { documentHash: 'abd' }, { purpose: 'x' }, { subgraph: 'police' }, { entityType: 'PersonX' }, { entityId: 'P2' }, { field: 'name' },
      { decision: 'deny' }, { reason: 'x' },
    ];
    for (const c of changes) expect(chainHash(GENESIS_HASH, entry(c))).not.toBe(base);
  });

  it('keeps fields apart (no ambiguity between adjacent values)', () => {
    expect(canonicalEntry(entry({ subject: 'a', agency: 'bc' }))).not.toBe(canonicalEntry(entry({ subject: 'ab', agency: 'c' })));
  });
});
