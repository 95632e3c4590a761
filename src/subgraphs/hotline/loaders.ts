import type { SubgraphContext } from '../../kit/context';
import { recordsByKey } from '../../kit/api';
import { hotlineApi } from './api';
import type { HotlineTicket } from './entities';

/* Batched calls: one call per batch of keys where the API takes a list of them, one call per distinct key otherwise (DataLoader de-duplicates within a request). */

/** Ticket records by gdbh. */
export function hotlineTicketByKey(ctx: SubgraphContext) {
  return recordsByKey<HotlineTicket>(ctx, hotlineApi, 'HotlineTicket', {
    key: 'gdbh',
    batch: { path: '/tickets', param: 'ids', max: 200 },
    item: '/tickets/{key}',
  });
}
