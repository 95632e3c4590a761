import { explainDatabaseError, SeedError } from './seed';

describe('explainDatabaseError', () => {
  it('says plainly what to do when the disk is full or the server is gone', () => {
    const full = explainDatabaseError(
      Object.assign(new Error('could not extend file "base/16384/16999": No space left on device'), { code: '53100' }),
      'while seeding grid',
    );
    expect(full).toBeInstanceOf(SeedError);
    expect(full.message).toMatch(/ran out of disk space while seeding grid.*rolled back.*run the seed again/);
    const refused = explainDatabaseError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' }), 'while connecting');
    expect(refused.message).toMatch(/cannot reach PostgreSQL while connecting/);
    expect(explainDatabaseError(new Error('Connection terminated unexpectedly'), 'while seeding police').message).toMatch(
      /connection to PostgreSQL was lost while seeding police/,
    );
  });

  it('passes other errors through unchanged', () => {
    const other = new Error('duplicate key value violates unique constraint "person_pkey"');
    expect(explainDatabaseError(other, 'while seeding grid')).toBe(other);
  });
});
