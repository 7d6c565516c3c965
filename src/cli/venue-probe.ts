/**
 * At start, one plain line on whether Polymarket (or the simulator the config points at) can be
 * reached, so a user without network sees the cause at once instead of inferring it from the
 * sources' reconnect warnings. It blocks nothing: every source keeps retrying with backoff anyway.
 */
import { describeError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';

export interface VenueUrls {
  gamma: string;
  clob: string;
  dataApi: string;
}

async function reach(url: string, timeoutMs: number): Promise<string | null> {
  try {
    // Any HTTP answer, even an error status, means the host is there.
    await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    return null;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return cause ?? describeError(err);
  }
}

export async function probeVenue(urls: VenueUrls, logger: Logger, timeoutMs = 4000): Promise<boolean> {
  const entries = Object.entries(urls) as [keyof VenueUrls, string][];
  const results = await Promise.all(
    entries.map(async ([name, url]) => ({ name, url, error: await reach(url, timeoutMs) })),
  );
  const down = results.filter((r) => r.error !== null);
  if (down.length === 0) {
    logger.info({ venue: urls }, 'venue reachable');
    return true;
  }
  logger.warn(
    { unreachable: Object.fromEntries(down.map((d) => [d.name, `${d.url}: ${d.error}`])) },
    `cannot reach ${down.map((d) => `${new URL(d.url).host} (${d.error})`).join(', ')}: PolyHunter keeps retrying with backoff. Check the network, or point [venue] at \`polyhunter sim\` to run offline.`,
  );
  return false;
}
