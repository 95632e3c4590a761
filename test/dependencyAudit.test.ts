import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../src/shared/paths';

/** .ci/audit-deps.mjs judging saved `npm audit --json` reports against an allow-list. */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pingan-hub-audit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const advisory = (severity: string) => ({
  auditReportVersion: 2,
  vulnerabilities: {
    'some-lib': {
      name: 'some-lib',
      severity,
      via: [
        {
          source: 1100001,
          name: 'some-lib',
          title: 'Prototype pollution',
          url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc',
          severity,
          range: '<2.0.1',
        },
      ],
    },
    'uses-some-lib': { name: 'uses-some-lib', severity, via: ['some-lib'] },
  },
});

function judge(report: unknown, allow: unknown[] = [], env: Record<string, string> = {}) {
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
  writeFileSync(join(dir, 'allow.json'), JSON.stringify({ allow }));
  const res = spawnSync(process.execPath, [join(repoRoot, '.ci', 'audit-deps.mjs'), '--report', join(dir, 'report.json')], {
    env: { ...process.env, AUDIT_ALLOW_FILE: join(dir, 'allow.json'), AUDIT_TODAY: '2026-11-29', ...env },
    encoding: 'utf8',
  });
  return { status: res.status, out: res.stdout + res.stderr };
}

const entry = (until: string) => ({ advisory: 'GHSA-aaaa-bbbb-cccc', package: 'some-lib', reason: 'only reachable from a CLI flag we never pass', until });

it('fails on a high or critical advisory that is not allowed, naming it', () => {
  for (const severity of ['high', 'critical']) {
    const res = judge(advisory(severity));
    expect(res.status).toBe(1);
    expect(res.out).toContain(`FAILING ${severity} GHSA-aaaa-bbbb-cccc some-lib`);
  }
});

it('passes moderate advisories and allowed ones until their date', () => {
  expect(judge(advisory('moderate')).status).toBe(0);
  expect(judge(advisory('high'), [entry('2026-12-31')]).status).toBe(0);
  expect(judge(advisory('high'), [entry('2026-11-28')]).status).toBe(1);
});

it('refuses an allow-list entry without a reason', () => {
  expect(judge(advisory('high'), [{ advisory: 'GHSA-aaaa-bbbb-cccc', until: '2027-01-01' }]).status).toBe(2);
});

it('says loudly when the advisory service cannot be asked, and fails then only when the audit is required', () => {
  const unreachable = { message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405 };
  const res = judge(unreachable);
  expect(res.status).toBe(0);
  expect(res.out).toContain('WARNING: dependency audit NOT done');
  expect(judge(unreachable, [], { DEPENDENCY_AUDIT: 'required' }).status).toBe(1);
});
