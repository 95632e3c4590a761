import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hub } from './support/cli';

/** A data folder of our own: `hub token` makes dev keys in it on first use. */
const dataDir = mkdtempSync(join(tmpdir(), 'pingan-hub-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The compiled `hub` CLI: every command documented, bad arguments refused with exit code 2 and a clear line. */
describe('hub CLI', () => {
  it('lists its commands, each with its own --help', () => {
    const help = hub(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['start', 'token', 'compose', 'policy', 'audit', 'migration', 'new-department']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
      const own = hub([command, '--help']);
      expect(own.status).toBe(0);
      expect(own.stdout).toContain(`Usage: hub ${command}`);
    }
    expect(hub(['policy', 'explain', '--help']).stdout).toContain('--agency <agency>');
    expect(hub(['audit', 'verify', '--help']).stdout).toContain('--against <file>');
  });

  it.each([
    [['bogus'], "unknown command 'bogus'"],
    [['token'], "required option '--agency <agency>' not specified"],
    [['token', '--agency', 'mayor'], 'unknown agency "mayor"'],
    [['token', '--agency', 'grid', '--jurisdiction', '2114'], 'jurisdiction "2114" is not a 6-, 9- or 12-digit division or grid code'],
    [['token', '--agency', 'grid', '--jurisdiction', '211402'], 'a grid token holds 12-digit codes'],
    [['token', '--agency', 'police', '--jurisdiction', '211400'], 'needs the "city" role'],
    [['token', '--agency', 'police', '--ttl', 'forever'], 'expected a duration like 30m, 8h or 2d'],
    [['policy', 'explain', 'Person.idNumber', '--agency', 'mayor'], 'unknown agency "mayor"'],
    [['migration', 'create', 'library'], 'unknown department "library"'],
    [['new-department'], "missing required argument 'name'"],
  ])('refuses %j', (args, message) => {
    const res = hub(args);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(message);
  });

  it('prints a dev token, and explains the policy offline', () => {
    const token = hub(['token', '--agency', 'grid', '--jurisdiction', '211402001001'], { HUB_DATA_DIR: dataDir });
    expect(token.status).toBe(0);
    expect(token.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const explain = hub(['policy', 'explain', 'Person.idNumber', '--agency', 'grid']);
    expect(explain.status).toBe(0);
    expect(explain.stdout).toContain('Person.idNumber for grid: allow if inside your jurisdiction, else mask (idNumber)');
  });

  it('refuses dev tokens in production mode', () => {
    const res = hub(['token', '--agency', 'police'], { HUB_MODE: 'production', PERSON_KEY_SECRET: 'x'.repeat(40) });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('dev tokens exist only in dev mode');
  });
});
