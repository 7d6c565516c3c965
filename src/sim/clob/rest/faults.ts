/**
 * Injected failures: the next N requests matching a path pattern get a 425, 429, 500, 502 or 503
 * instead of reaching their route, with the body the real service (or its edge) sends. The control
 * API arms it; an onRequest hook honours it.
 *
 * Bodies: 429 and 503 are the docs' global errors (`Too Many Requests` with `Retry-After`;
 * `Trading is currently disabled...`). 425 is the matching engine restarting (`RESTARTING`, api-reference.md
 * §4.3): the order was not taken. 500 is `could not run the execution` on the order-posting
 * routes (as production reported it) and a generic text elsewhere. 502 comes from the CDN in front
 * of the CLOB, so it is an HTML page, not JSON: clients must cope with that too.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REST_ERROR } from './errors.ts';

export type FaultStatus = 425 | 429 | 500 | 502 | 503;

export interface ClobFaults {
  /** Answers the next `count` requests whose path matches `onPaths` (default: any) with `status`. */
  nextResponses(status: FaultStatus, count: number, onPaths?: RegExp): void;
  /** Drops every armed fault. */
  clear(): void;
  /** Requests still to be failed, over all armed faults. */
  pending(): number;
}

interface Rule {
  status: FaultStatus;
  remaining: number;
  /** Without the `g`/`y` flags, so `test` has no state. */
  onPaths: RegExp | undefined;
}

/** Seconds a 429 asks the client to wait. */
export const RETRY_AFTER_SECONDS = 1;

const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';

const ORDER_POSTING = /^\/orders?$/;

function stateless(re: RegExp): RegExp {
  return re.global || re.sticky ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re;
}

export class FaultInjector implements ClobFaults {
  readonly #rules: Rule[] = [];

  nextResponses(status: FaultStatus, count: number, onPaths?: RegExp): void {
    if (![425, 429, 500, 502, 503].includes(status))
      throw new RangeError(`unsupported fault status ${status}`);
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`bad fault count ${count}`);
    if (count === 0) return;
    this.#rules.push({ status, remaining: count, onPaths: onPaths && stateless(onPaths) });
  }

  clear(): void {
    this.#rules.length = 0;
  }

  pending(): number {
    return this.#rules.reduce((n, r) => n + r.remaining, 0);
  }

  /** The status to fail this request with, consuming one use of the first matching rule. */
  take(path: string): FaultStatus | undefined {
    const i = this.#rules.findIndex((r) => r.onPaths === undefined || r.onPaths.test(path));
    const rule = this.#rules[i];
    if (rule === undefined) return undefined;
    rule.remaining--;
    if (rule.remaining === 0) this.#rules.splice(i, 1);
    return rule.status;
  }

  /** The onRequest hook: answers a faulted request and stops it there. */
  hook = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const path = request.url.split('?', 1)[0] ?? '';
    const status = this.take(path);
    if (status === undefined) return;
    reply.code(status);
    if (status === 429) {
      reply.header('retry-after', String(RETRY_AFTER_SECONDS)).send({ error: REST_ERROR.tooManyRequests });
    } else if (status === 425) {
      reply.send({ error: REST_ERROR.restarting });
    } else if (status === 503) {
      reply.send({ error: REST_ERROR.tradingDisabled });
    } else if (status === 502) {
      reply.type('text/html').send(BAD_GATEWAY_HTML);
    } else {
      const posting = request.method === 'POST' && ORDER_POSTING.test(path);
      reply.send({ error: posting ? REST_ERROR.executionFailed : REST_ERROR.internal });
    }
    return reply;
  };
}
