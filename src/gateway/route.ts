import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { GatewayContext } from './context';

/**
 * What a route handler gets besides the request: the request id, its deadline and the gateway's
 * Apollo Server. In a module of its own so that the routes (console, health, metrics, dev tokens)
 * do not import the server that imports them.
 */
export interface RouteContext {
  requestId: string;
  /** Epoch ms by which the request must be answered. */
  deadline: number;
  apollo: ApolloServer<GatewayContext>;
}

export type GatewayRoute = (req: IncomingMessage, res: ServerResponse, ctx: RouteContext) => Promise<void>;
