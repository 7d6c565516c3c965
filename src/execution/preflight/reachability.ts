/**
 * Whether each configured venue endpoint answers, and answers like the service it should be:
 * Gamma and the Data API a 2xx to a one-row query, the CLOB its `/version` (2: the order format
 * we sign) and `/time` (our clock must be close to it: signed requests carry a timestamp), the
 * websockets an open handshake, and the chain websocket its chain id.
 */
import WebSocket from 'ws';
import { z } from 'zod';
import { describeError } from '../../core/errors.ts';
import { type CheckOutcome, pass } from './outcome.ts';

export interface ProbeOptions {
  timeoutMs?: number;
}

/** Larger skews make the venue refuse signed requests (the simulator allows 60 s). */
export const MAX_CLOCK_SKEW_SECONDS = 30;

const DEFAULT_TIMEOUT_MS = 5_000;

const unreachable = (what: string, url: string, err: unknown, key: string): CheckOutcome => ({
  status: 'fail',
  code: 'VENUE_UNREACHABLE',
  message: `${what} at ${url} did not answer: ${reason(err)}`,
  fix: `Check the network and venue.${key} (\`polyhunter sim\` prints working URLs for offline use).`,
});

/** The low-level cause (ECONNREFUSED, "bad port") when there is one: it says more than "fetch failed". */
function reason(err: unknown): string {
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return cause instanceof Error ? `${describeError(err)}: ${cause.message}` : describeError(err);
}

function join(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

/** An HTTP service that must answer `path` with a 2xx JSON reply. */
export async function probeHttp(
  what: string,
  baseUrl: string,
  path: string,
  configKey: string,
  options: ProbeOptions = {},
): Promise<CheckOutcome> {
  const url = join(baseUrl, path);
  try {
    await getJson(url, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  } catch (err) {
    return unreachable(what, url, err, configKey);
  }
  return pass(`${baseUrl} answers`);
}

/** The CLOB: reachable and speaking V2. */
export async function probeClob(clobUrl: string, options: ProbeOptions = {}): Promise<CheckOutcome> {
  const url = join(clobUrl, '/version');
  let reply: unknown;
  try {
    reply = await getJson(url, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  } catch (err) {
    return unreachable('the CLOB', url, err, 'clob_url');
  }
  const parsed = z.looseObject({ version: z.number() }).safeParse(reply);
  if (!parsed.success || parsed.data.version !== 2) {
    return {
      status: 'fail',
      code: 'VENUE_MISMATCH',
      message: `the CLOB at ${clobUrl} reports version ${parsed.success ? parsed.data.version : 'unreadable'}; PolyHunter signs V2 orders`,
      fix: 'Point venue.clob_url at a CLOB V2 (https://clob.polymarket.com or `polyhunter sim`).',
    };
  }
  return pass(`${clobUrl} answers, CLOB version 2`);
}

/** Our clock against the CLOB's `/time` (epoch seconds). */
export async function probeClockSkew(
  clobUrl: string,
  now: () => number,
  options: ProbeOptions = {},
): Promise<CheckOutcome> {
  const url = join(clobUrl, '/time');
  let reply: unknown;
  const sent = now();
  try {
    reply = await getJson(url, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  } catch (err) {
    return unreachable('the CLOB', url, err, 'clob_url');
  }
  const parsed = z.number().safeParse(reply);
  if (!parsed.success) {
    return {
      status: 'fail',
      code: 'VENUE_MISMATCH',
      message: `unreadable server time from ${url}`,
      fix: 'Check that venue.clob_url points at a Polymarket CLOB.',
    };
  }
  // The middle of the round trip against the middle of the server's whole second: it read its
  // clock somewhere in between and truncated it.
  const local = (sent + now()) / 2 / 1000;
  const skew = Math.round(local - (parsed.data + 0.5));
  if (Math.abs(skew) > MAX_CLOCK_SKEW_SECONDS) {
    return {
      status: 'fail',
      code: 'CLOCK_SKEW',
      message: `this machine's clock is ${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} the CLOB's; signed requests would be refused`,
      fix: 'Synchronise the system clock (enable NTP, e.g. timedatectl set-ntp true).',
    };
  }
  return pass(`clock within ${Math.abs(skew)} s of the CLOB's`);
}

/** Opens a websocket, optionally sends one message and waits for one reply, then closes it. */
function openSocket(url: string, timeoutMs: number, request?: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no ${request === undefined ? 'handshake' : 'reply'} within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (value: string | undefined) => {
      clearTimeout(timer);
      ws.close();
      resolve(value);
    };
    ws.on('open', () => {
      if (request === undefined) done(undefined);
      else ws.send(request);
    });
    ws.on('message', (data) => {
      if (request !== undefined) done(String(data));
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      ws.terminate();
      reject(err);
    });
  });
}

export async function probeWebSocket(
  what: string,
  url: string,
  configKey: string,
  options: ProbeOptions = {},
): Promise<CheckOutcome> {
  try {
    await openSocket(url, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  } catch (err) {
    return unreachable(what, url, err, configKey);
  }
  return pass(`${url} accepts connections`);
}

/** The chain websocket: reachable, and on the chain orders are signed for. */
export async function probeChain(
  url: string,
  chainId: number,
  options: ProbeOptions = {},
): Promise<CheckOutcome> {
  let reply: string | undefined;
  try {
    reply = await openSocket(
      url,
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    );
  } catch (err) {
    return unreachable('the chain RPC', url, err, 'polygon_ws_url');
  }
  let remote: number | undefined;
  try {
    const parsed = z
      .looseObject({ result: z.string().regex(/^0x[0-9a-fA-F]+$/) })
      .safeParse(JSON.parse(reply ?? ''));
    if (parsed.success) remote = Number.parseInt(parsed.data.result, 16);
  } catch {
    remote = undefined;
  }
  if (remote === undefined) {
    return {
      status: 'fail',
      code: 'VENUE_MISMATCH',
      message: `${url} did not answer eth_chainId`,
      fix: 'Point venue.polygon_ws_url at a Polygon JSON-RPC websocket, or set it to "" to turn the chain source off.',
    };
  }
  if (remote !== chainId) {
    return {
      status: 'fail',
      code: 'VENUE_MISMATCH',
      message: `${url} is chain ${remote}, but venue.chain_id is ${chainId}`,
      fix: 'Point venue.polygon_ws_url at a node of the same chain as venue.chain_id.',
    };
  }
  return pass(`${url} answers, chain ${remote}`);
}
