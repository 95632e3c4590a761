import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import gql from 'graphql-tag';
import { executeApollo, readBody, sendJson } from '../src/shared/http';
import { failToParent, serveParent } from './children';
import { PUBLIC_BENCHMARK_DIR } from './publicBenchmark';

/**
 * The four subgraphs of The Guild's public gateway benchmark (accounts, inventory, products,
 * reviews) in one process, one route each on one port, like the original Rust ones. Their data
 * and behaviour are fixed by the benchmark (see the README beside the data): gateways are judged
 * on the exact response, so every quirk of the original is kept.
 */

interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}
interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}
interface Review {
  id: string;
  body: string;
  productUpc: string;
}
interface Data {
  users: User[];
  products: Product[];
  inventory: Array<{ upc: string; inStock: boolean }>;
  reviews: Review[];
}

const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@provides"])';

function subgraphs(data: Data) {
  const firstTwoReviews = data.reviews.slice(0, 2);
  return {
    accounts: buildSubgraphSchema({
      typeDefs: gql`
        ${FEDERATION}
        type Query { me: User user(id: ID!): User users: [User] }
        type User @key(fields: "id") { id: ID! name: String username: String birthday: Int }
      `,
      resolvers: {
        Query: {
          me: () => data.users[0],
          user: (_: unknown, { id }: { id: string }) => data.users.find((u) => u.id === id) ?? null,
          users: () => data.users,
        },
        User: { __resolveReference: (ref: { id: string }) => data.users.find((u) => u.id === ref.id) ?? null },
      },
    }),
    products: buildSubgraphSchema({
      typeDefs: gql`
        ${FEDERATION}
        type Query { topProducts(first: Int = 5): [Product] }
        type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }
      `,
      resolvers: {
        Query: { topProducts: (_: unknown, { first }: { first: number }) => data.products.slice(0, first) },
        Product: { __resolveReference: (ref: { upc: string }) => data.products.find((p) => p.upc === ref.upc) ?? null },
      },
    }),
    inventory: buildSubgraphSchema({
      typeDefs: gql`
        ${FEDERATION}
        type Product @key(fields: "upc") {
          upc: String!
          weight: Int @external
          price: Int @external
          inStock: Boolean
          shippingEstimate: Int @requires(fields: "price weight")
        }
      `,
      resolvers: {
        Product: {
          // As in the original: the entity comes from the inventory's own rows, by upc alone, so
          // price and weight (sent by the gateway) are not on it and the estimate is null.
          __resolveReference: (ref: { upc: string }) => data.inventory.find((i) => i.upc === ref.upc) ?? null,
          shippingEstimate: (p: Partial<Product>) => (p.price == null || p.weight == null ? null : p.price > 1000 ? 0 : Math.floor(p.weight / 2)),
        },
      },
    }),
    reviews: buildSubgraphSchema({
      typeDefs: gql`
        ${FEDERATION}
        type Review @key(fields: "id") { id: ID! body: String product: Product author: User @provides(fields: "username") }
        type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
        type Product @key(fields: "upc") { upc: String! reviews: [Review] }
      `,
      resolvers: {
        Review: {
          __resolveReference: (ref: { id: string }) => data.reviews.find((r) => r.id === ref.id) ?? null,
          product: (r: Review) => ({ upc: r.productUpc }),
          // The original's author is always user 1, with the provided username and reviews 1–2.
          author: () => ({ id: '1', username: 'urigo', reviews: firstTwoReviews }),
        },
        // ...and any user resolved here is the given id, username "user", and reviews 1–2.
        User: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id, username: 'user', reviews: firstTwoReviews }),
          reviews: (u: { reviews?: Review[] }) => u.reviews ?? firstTwoReviews,
        },
        Product: {
          __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
          reviews: (p: { upc: string }) => data.reviews.filter((r) => r.productUpc === p.upc),
        },
      },
    }),
  };
}

async function main(): Promise<void> {
  const data = JSON.parse(readFileSync(join(PUBLIC_BENCHMARK_DIR, 'data.json'), 'utf8')) as Data;
  const delayMs = Number(process.env.SUBGRAPH_DELAY_MS ?? 0);
  const servers = new Map<string, ApolloServer>();
  for (const [name, schema] of Object.entries(subgraphs(data))) {
    // Lean, so that the subgraphs are not what limits the gateways: no per-field cache-control hook.
    const apollo = new ApolloServer({
      schema,
      csrfPrevention: false,
      plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
    });
    await apollo.start();
    servers.set(`/${name}`, apollo);
  }
  const server = createServer((req, res) => {
    const apollo = servers.get((req.url ?? '/').split('?')[0]);
    if (!apollo) {
      sendJson(res, 404, { error: 'not found' });
      return;
    }
    void (async () => {
      const body = await readBody(req, 1024 * 1024);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      await executeApollo(apollo, req, res, body, async () => ({}));
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: err instanceof Error ? err.message : String(err) }] });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  serveParent(Object.fromEntries([...servers.keys()].map((path) => [path.slice(1), `${base}${path}`])), {
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all([...servers.values()].map((s) => s.stop()));
    },
  });
}

main().catch(failToParent);
