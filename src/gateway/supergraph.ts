import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, unwatchFile, watchFile, writeFileSync } from 'node:fs';
import type { SupergraphManager, SupergraphSdlUpdateFunction } from '@apollo/gateway';
import { Supergraph } from '@apollo/federation-internals';
import { logger } from '../shared/logger';
import { supergraphReloads } from './metrics';

export type ReloadOutcome = 'applied' | 'unchanged' | 'refused';

export function supergraphId(sdl: string): string {
  return createHash('sha256').update(sdl).digest('hex').slice(0, 16);
}

/**
 * Throws, saying why, unless `sdl` is a Federation 2 supergraph the gateway can serve: it parses,
 * its core features are known, the subgraphs extracted from it are valid (what composition
 * guarantees), and its API schema builds.
 */
export function checkSupergraph(sdl: string): void {
  const supergraph = Supergraph.build(sdl, { validateSupergraph: true });
  supergraph.apiSchema().toGraphQLJSSchema();
}

/** The configured supergraph cannot be served and there is no last good copy: the gateway does not start. */
export class SupergraphUnservable extends Error {
  constructor(file: string, reason: string) {
    // One line: the first line of the first error (composition errors can run to pages).
    super(`supergraph ${file} cannot be served: ${reason.split('\n')[0]}`);
    this.name = 'SupergraphUnservable';
  }
}

/** Why `sdl` cannot be served, or null when it can. */
function problemOf(read: () => string): { sdl: string; problem: null } | { sdl: null; problem: string } {
  let sdl: string;
  try {
    sdl = read();
  } catch (err) {
    return { sdl: null, problem: `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  try {
    checkSupergraph(sdl);
    return { sdl, problem: null };
  } catch (err) {
    return { sdl: null, problem: (err as Error).message };
  }
}

/**
 * The supergraph from a file, reloaded without a restart: on `reload()` (the `hub serve gateway`
 * process calls it on SIGHUP) and, when `watchMs` > 0, when the file changes. A new file is
 * checked first; one that does not parse or compose is refused and the one in service stays, so
 * a half-written file or a bad rollout never takes the gateway down.
 *
 * Every supergraph served is also copied to `lastGoodFile` (beside the gateway's data). A gateway
 * that starts on a file it cannot serve serves that copy instead, says so, and reports itself
 * `stale` until a good file arrives; without a copy it does not start (`SupergraphUnservable`).
 */
export class SupergraphFile implements SupergraphManager {
  private update: SupergraphSdlUpdateFunction | undefined;
  private currentId: string | null = null;
  private servingStale = false;

  constructor(
    readonly path: string,
    private readonly watchMs = 0,
    private readonly lastGoodFile?: string,
  ) {}

  get id(): string | null {
    return this.currentId;
  }

  /** True while the last good copy is served because the configured file could not be. */
  get stale(): boolean {
    return this.servingStale;
  }

  readonly initialize: SupergraphManager['initialize'] = async ({ update }) => {
    const read = problemOf(() => readFileSync(this.path, 'utf8'));
    const problem = read.problem;
    let sdl = read.sdl;
    if (problem !== null) {
      const copy = this.lastGoodFile && existsSync(this.lastGoodFile) ? problemOf(() => readFileSync(this.lastGoodFile!, 'utf8')) : null;
      if (!copy?.sdl) throw new SupergraphUnservable(this.path, problem);
      sdl = copy.sdl;
      this.servingStale = true;
      logger.error(
        { file: this.path, reason: problem.split('\n')[0], servedFrom: this.lastGoodFile, supergraph: supergraphId(sdl) },
        'supergraph file cannot be served: serving the last good copy (stale) until a good file arrives',
      );
    }
    this.update = update;
    this.currentId = supergraphId(sdl!);
    if (!this.servingStale) this.keepCopy(sdl!);
    if (this.watchMs > 0) watchFile(this.path, { interval: this.watchMs, persistent: false }, () => void this.reload('file changed'));
    logger.info({ file: this.servingStale ? this.lastGoodFile : this.path, supergraph: this.currentId }, 'supergraph loaded');
    return {
      supergraphSdl: sdl!,
      cleanup: async () => unwatchFile(this.path),
    };
  };

  /** Reads the file again and serves it if it changed and is valid; otherwise keeps the current supergraph. */
  async reload(trigger: string): Promise<ReloadOutcome> {
    const outcome = this.tryReload(trigger);
    supergraphReloads.inc({ outcome });
    return outcome;
  }

  private tryReload(trigger: string): ReloadOutcome {
    if (!this.update) return 'unchanged';
    let sdl: string;
    try {
      sdl = readFileSync(this.path, 'utf8');
    } catch (err) {
      logger.error(
        { file: this.path, trigger, err: (err as Error).message },
        'supergraph reload refused: cannot read the file; still serving the current supergraph',
      );
      return 'refused';
    }
    const id = supergraphId(sdl);
    if (id === this.currentId) {
      if (this.servingStale) logger.info({ file: this.path, trigger, supergraph: id }, 'supergraph file can be served again: it is the copy in service');
      this.servingStale = false;
      return 'unchanged';
    }
    try {
      checkSupergraph(sdl);
      this.update(sdl);
    } catch (err) {
      logger.error(
        { file: this.path, trigger, supergraph: id, reason: (err as Error).message },
        'supergraph reload refused; still serving the current supergraph',
      );
      return 'refused';
    }
    logger.info({ file: this.path, trigger, from: this.currentId, to: id }, 'supergraph reloaded');
    this.currentId = id;
    this.servingStale = false;
    this.keepCopy(sdl);
    return 'applied';
  }

  /** Written to a temporary file and renamed: a crash mid-write never leaves a half copy. */
  private keepCopy(sdl: string): void {
    if (!this.lastGoodFile) return;
    try {
      writeFileSync(`${this.lastGoodFile}.tmp`, sdl);
      renameSync(`${this.lastGoodFile}.tmp`, this.lastGoodFile);
    } catch (err) {
      logger.warn(
        { file: this.lastGoodFile, reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message },
        'cannot keep a copy of the supergraph: a restart on a bad file will not be able to fall back to it',
      );
    }
  }
}
