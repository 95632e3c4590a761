import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSubgraphSchema } from '@apollo/subgraph';
import { repoRoot } from '../shared/paths';
import { SUBGRAPHS } from '../shared/registry';

/*
 * The printed subgraph SDL does not depend on the order modules load in: this test loads the kit
 * (with its own resolvers) and analytics first, then the departments in the reverse of the
 * registry's order, unlike `hub compose`. The committed schema/ is what compose printed
 * (`compose --check` holds it to the code), so both orders must print it.
 */
type Modules = {
  schema: typeof import('./schema');
  subgraphs: typeof import('../subgraphs');
};

function loadKitFirst(): Modules {
  let modules: Modules | undefined;
  jest.isolateModules(() => {
    // Declares PermissionsResolver and the analytics resolvers before any department's.
    const schema = require('./schema') as typeof import('./schema');
    require('./permissions');
    require('../analytics/resolvers');
    require('../analytics/computed');
    for (const name of [...SUBGRAPHS].reverse()) require(`../subgraphs/${name}`);
    modules = { schema, subgraphs: require('../subgraphs') as typeof import('../subgraphs') };
  });
  return modules!;
}

// Once: type-graphql keeps its metadata in a global, which a second load would fill again.
const { schema, subgraphs } = loadKitFirst();

describe('subgraph SDL', () => {
  it('prints every subgraph as committed, with the kit and the departments loaded in another order', async () => {
    for (const def of subgraphs.subgraphList()) {
      const printed = printSubgraphSchema(await schema.buildDepartmentSchema(def));
      expect({ name: def.name, sdl: printed }).toEqual({ name: def.name, sdl: readFileSync(join(repoRoot, 'schema', `${def.name}.graphql`), 'utf8') });
    }
  });

  it("orders the root fields by the definition: its resolvers in the order listed, then the kit's", async () => {
    const audit = subgraphs.subgraphs.audit;
    const queryFields = async (resolvers: typeof audit.resolvers) => {
      const built = await schema.buildDepartmentSchema({ ...audit, resolvers });
      return Object.keys(built.getQueryType()!.getFields()).filter((f) => !f.startsWith('_'));
    };
    const [alerts, report, log] = audit.resolvers;
    expect(await queryFields([alerts, report, log])).toEqual(['accessAlerts', 'myAccessReport', 'accessLog', 'myPermissions', 'caseLinks']);
    expect(await queryFields([log, alerts, report])).toEqual(['accessLog', 'accessAlerts', 'myAccessReport', 'myPermissions', 'caseLinks']);
  });
});
