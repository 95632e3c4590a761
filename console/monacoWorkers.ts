/**
 * Monaco (GraphiQL's editor) runs its language services in web workers. The build bundles each
 * worker as its own file beside the page, so nothing is fetched from outside the gateway. This
 * module must run before GraphiQL loads Monaco: main.tsx imports it first.
 */
const WORKER_FILES: Record<string, string> = { graphql: 'graphql.worker.js', json: 'json.worker.js' };

(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return new Worker(`/console/${WORKER_FILES[label] ?? 'editor.worker.js'}`);
  },
};
