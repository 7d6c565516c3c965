/**
 * Replies of the order routes (api-reference.md §4.3, §4.5): `POST /order` (`POST /orders` sends
 * an array of them) and the cancel routes (`DELETE /order`, `/orders`, `/cancel-all`,
 * `/cancel-market-orders`).
 */
import { z } from 'zod';
import { decimalOrEmptySchema, hexIdSchema, orEmpty } from './scalars.ts';

export const POST_ORDER_STATUSES = ['live', 'matched', 'delayed', 'unmatched'] as const;
export type PostOrderStatus = (typeof POST_ORDER_STATUSES)[number];

export const postOrderResponseSchema = z
  .looseObject({
    success: z.boolean(),
    /** "" or null when there is nothing to say. */
    errorMsg: z.string().nullish(),
    /** The order hash; null or "" (-> null) when the order was refused. */
    orderID: orEmpty(hexIdSchema).nullish(),
    /** live: resting; matched: filled on arrival; delayed: held by a matching delay; unmatched. */
    status: z.enum(POST_ORDER_STATUSES).optional(),
    /** Decimal amounts; "" (-> null) while the order is delayed. */
    takingAmount: decimalOrEmptySchema.optional(),
    makingAmount: decimalOrEmptySchema.optional(),
    /** Settlement transactions, best effort: V2 may leave them out (poll `/data/trades`). */
    transactionsHashes: z.array(hexIdSchema).nullish(),
    tradeIDs: z.array(z.string().min(1)).nullish(),
  })
  .refine((r) => !r.success || typeof r.orderID === 'string', {
    message: 'a successful order response carries its orderID',
    path: ['orderID'],
  });
export type PostOrderResponse = z.output<typeof postOrderResponseSchema>;

export const postOrdersResponseSchema = z.array(postOrderResponseSchema);

export const cancelOrdersResponseSchema = z.looseObject({
  /** Order hashes cancelled by this call. */
  canceled: z.array(hexIdSchema),
  /** Order hash -> reason, e.g. "already canceled or matched". */
  not_canceled: z.record(z.string(), z.string()),
});
export type CancelOrdersResponse = z.output<typeof cancelOrdersResponseSchema>;
