#!/usr/bin/env node
// Fails CI on a production dependency with a known high or critical advisory, unless the
// advisory is on the allow-list (.ci/audit-allow.json) with a reason and a date it expires.
//
//   node .ci/audit-deps.mjs                  asks the registry (npm audit --omit=dev)
//   node .ci/audit-deps.mjs --report f.json  judges a saved `npm audit --json` report
//
// When the registry's advisory service cannot be reached (this machine's registry mirror answers
// 405 to npm audit's POST), the check says so loudly and passes, unless DEPENDENCY_AUDIT=required.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const FAILING = new Set(['high', 'critical']);

function readReport() {
  const at = process.argv.indexOf('--report');
  if (at > 0) return readFileSync(process.argv[at + 1], 'utf8');
  const npm = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: join(here, '..'), encoding: 'utf8', timeout: 120_000 });
  return npm.stdout ?? '';
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const allowFile = process.env.AUDIT_ALLOW_FILE ?? join(here, 'audit-allow.json');
const today = process.env.AUDIT_TODAY ?? new Date().toISOString().slice(0, 10);
const allowList = JSON.parse(readFileSync(allowFile, 'utf8')).allow ?? [];
for (const entry of allowList) {
  if (!entry.advisory || !entry.reason || !/^\d{4}-\d{2}-\d{2}$/.test(entry.until ?? '')) {
    console.error(`audit-allow.json: every entry needs advisory, reason and until (YYYY-MM-DD): ${JSON.stringify(entry)}`);
    process.exit(2);
  }
}

const report = parse(readReport());
if (!report || report.auditReportVersion !== 2) {
  const why = report?.message ?? report?.error?.summary ?? 'no audit report';
  console.error(`WARNING: dependency audit NOT done: the advisory service could not be asked (${why}).`);
  process.exit(process.env.DEPENDENCY_AUDIT === 'required' ? 1 : 0);
}

const found = new Map();
for (const vulnerability of Object.values(report.vulnerabilities ?? {})) {
  for (const via of vulnerability.via ?? []) {
    if (typeof via !== 'object' || !FAILING.has(via.severity)) continue;
    const advisory = (via.url ?? '').split('/').pop() || String(via.source);
    found.set(advisory, { advisory, package: via.name, severity: via.severity, title: via.title, range: via.range });
  }
}
const allowed = (a) => allowList.some((e) => e.advisory === a.advisory && e.until >= today);
const failing = [...found.values()].filter((a) => !allowed(a));
for (const a of found.values()) {
  console.log(`${allowed(a) ? 'allowed' : 'FAILING'} ${a.severity} ${a.advisory} ${a.package} ${a.range ?? ''}: ${a.title ?? ''}`);
}
console.log(`dependency audit: ${found.size} high or critical advisories in production dependencies, ${failing.length} not on the allow-list`);
process.exit(failing.length ? 1 : 0);
