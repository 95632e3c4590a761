import { createHash } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
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

/**
 * The supergraph from a file, reloaded without a restart: on `reload()` (the `hub serve gateway`
 * process calls it on SIGHUP) and, when `watchMs` > 0, when the file changes. A new file is
 * checked first; one that does not parse or compose is refused and the one in service stays, so
 * a half-written file or a bad rollout never takes the gateway down.
 */
export class SupergraphFile implements SupergraphManager {
  private update: SupergraphSdlUpdateFunction | undefined;
  private currentId: string | null = null;

  constructor(readonly path: string, private readonly watchMs = 0) {}

  get id(): string | null {
    return this.currentId;
  }

  readonly initialize: SupergraphManager['initialize'] = async ({ update }) => {
    const sdl = readFileSync(this.path, 'utf8');
    try {
      checkSupergraph(sdl);
    } catch (err) {
      throw new Error(`supergraph ${this.path} cannot be served: ${(err as Error).message}`);
    }
    this.update = update;
    this.currentId = supergraphId(sdl);
    if (this.watchMs > 0) watchFile(this.path, { interval: this.watchMs, persistent: false }, () => void this.reload('file changed'));
    logger.info({ file: this.path, supergraph: this.currentId }, 'supergraph loaded');
    return {
      supergraphSdl: sdl,
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
      logger.error({ file: this.path, trigger, err: (err as Error).message }, 'supergraph reload refused: cannot read the file; still serving the current supergraph');
      return 'refused';
    }
    const id = supergraphId(sdl);
    if (id === this.currentId) return 'unchanged';
    try {
      checkSupergraph(sdl);
      this.update(sdl);
    } catch (err) {
      logger.error({ file: this.path, trigger, supergraph: id, reason: (err as Error).message }, 'supergraph reload refused; still serving the current supergraph');
      return 'refused';
    }
    logger.info({ file: this.path, trigger, from: this.currentId, to: id }, 'supergraph reloaded');
    this.currentId = id;
    return 'applied';
  }
}
