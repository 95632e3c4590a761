import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { repoRoot } from '../../src/shared/paths';
import { woffToSfnt } from './woff';

/** Where the unpacked browser and fonts live: under node_modules, so a fresh `npm ci` starts clean. */
const CACHE = join(repoRoot, 'node_modules', '.cache', 'pingan-hub-browser');
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

interface BrowserBinary {
  executablePath: string;
  /** Shared libraries the binary needs that a bare machine may lack (NSS, expat), or none. */
  libraryPath?: string;
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Fills `dir` once, atomically: built in a sibling directory and renamed, so an interrupted run
 * never leaves a half-unpacked browser that a later run would take for a whole one.
 */
function once(dir: string, fill: (staging: string) => void): string {
  if (existsSync(dir)) return dir;
  mkdirSync(CACHE, { recursive: true });
  const staging = mkdtempSync(`${dir}.partial-`);
  try {
    fill(staging);
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(dir)) throw error;
  }
  return dir;
}

/**
 * The browser, in this order: $CHROMIUM if set; the headless Chromium the npm package
 * @sparticuz/chromium ships inside its tarball (x64 only; Brotli-compressed, unpacked here once
 * with its bundled NSS libraries), so a machine with nothing but `npm ci` runs the console test;
 * Debian's Chromium where it is installed.
 */
function browserBinary(): BrowserBinary {
  const fromEnv = process.env.CHROMIUM;
  if (fromEnv) return { executablePath: fromEnv };
  if (arch() === 'x64' && existsSync(join(repoRoot, 'node_modules', '@sparticuz', 'chromium'))) {
    const dir = once(join(CACHE, `chromium-${packageVersion('@sparticuz/chromium')}`), (staging) => {
      // The package is an ES module whose unpacker writes into os.tmpdir(): run it in a child
      // process (jest's module system loads no ES modules) with TMPDIR pointing at our directory.
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          [
            "import chromium, { inflate } from '@sparticuz/chromium';",
            "import { createRequire } from 'node:module';",
            "import { dirname, join } from 'node:path';",
            'await chromium.executablePath();',
            "const bin = join(dirname(createRequire(join(process.cwd(), 'package.json')).resolve('@sparticuz/chromium')), '..', 'bin');",
            "await inflate(join(bin, 'al2023.tar.br'));",
          ].join('\n'),
        ],
        { cwd: repoRoot, env: { ...process.env, TMPDIR: staging }, stdio: ['ignore', 'ignore', 'inherit'] },
      );
    });
    return { executablePath: join(dir, 'chromium'), libraryPath: join(dir, 'al2023', 'lib') };
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM };
  throw new Error(
    `no browser for the console test: run \`npm ci\` (installs @sparticuz/chromium, x64 only), install Debian's chromium, or set CHROMIUM to a Chromium binary`,
  );
}

/**
 * A fontconfig file naming Noto Sans SC (regular weight, from the npm package @fontsource/noto-sans-sc)
 * and the system's fonts, so Chinese in screenshots is legible on a machine with no CJK font.
 * The package ships WOFF subsets; fontconfig wants TTF, so they are unpacked once.
 */
function fontConfig(): string {
  const source = join(repoRoot, 'node_modules', '@fontsource', 'noto-sans-sc', 'files');
  const dir = once(join(CACHE, `fonts-${packageVersion('@fontsource/noto-sans-sc')}`), (staging) => {
    for (const file of readdirSync(source).filter((f) => f.endsWith('-400-normal.woff'))) {
      writeFileSync(join(staging, file.replace(/\.woff$/, '.ttf')), woffToSfnt(readFileSync(join(source, file))));
    }
    writeFileSync(
      join(staging, 'fonts.conf'),
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        '<fontconfig>',
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
        `  <dir>${join(CACHE, `fonts-${packageVersion('@fontsource/noto-sans-sc')}`)}</dir>`,
        `  <cachedir>${join(CACHE, 'fontconfig-cache')}</cachedir>`,
        '</fontconfig>',
        '',
      ].join('\n'),
    );
  });
  return join(dir, 'fonts.conf');
}

export interface TestBrowser {
  context: BrowserContext;
  /** Requests to anything but loopback, which the browser was refused (should stay empty). */
  refused: string[];
  close(): Promise<void>;
}

function isLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:') return true;
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Headless Chromium (see browserBinary) with a fresh profile, no sandbox (we run as root), and nothing of its own on the
 * network: every request to a non-loopback address is aborted and recorded.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const binary = browserBinary();
  const profile = mkdtempSync(join(tmpdir(), 'pingan-hub-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: binary.executablePath,
    env: {
      ...process.env,
      FONTCONFIG_FILE: fontConfig(),
      ...(binary.libraryPath ? { LD_LIBRARY_PATH: [binary.libraryPath, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } : {}),
    },
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1500, height: 1000 },
    timeout: 30_000,
  });
  const refused: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLoopback(url)) return route.continue();
    refused.push(url);
    return route.abort('blockedbyclient');
  });
  return {
    context,
    refused,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
