/**
 * Whether the venue serves this machine's region. Polymarket answers that at a geoblock endpoint
 * (`https://polymarket.com/api/geoblock`, third-party reports; not in api-reference.md) that the
 * config has no key for, so the check runs only when given the URL: without one it reports "not
 * checked" rather than reaching out to the internet on its own.
 */
import { describeError } from '../../core/errors.ts';
import { geoblockSchema } from '../../polymarket/clob/schemas/account.ts';
import { type CheckOutcome, pass, skip } from './outcome.ts';

export interface RegionCheckOptions {
  /** The geoblock endpoint; undefined: not checked. */
  url?: string | undefined;
  timeoutMs?: number;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

export async function checkRegion(options: RegionCheckOptions = {}): Promise<CheckOutcome> {
  const { url } = options;
  if (url === undefined) {
    return skip(
      'not checked: no geoblock URL given (--geoblock-url https://polymarket.com/api/geoblock checks it)',
    );
  }
  const doFetch = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  let body: unknown;
  try {
    const response = await doFetch(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (err) {
    return {
      status: 'fail',
      code: 'VENUE_UNREACHABLE',
      message: `the geoblock endpoint ${url} did not answer: ${describeError(err)}`,
      fix: 'Check the network, or leave the region unchecked by not passing --geoblock-url.',
    };
  }
  const parsed = geoblockSchema.safeParse(body);
  if (!parsed.success) {
    return {
      status: 'fail',
      code: 'VENUE_MISMATCH',
      message: `unreadable geoblock answer from ${url}: ${parsed.error.issues[0]?.message ?? 'bad shape'}`,
      fix: 'Check the --geoblock-url: it should answer {"blocked": true|false, ...}.',
    };
  }
  const where = [parsed.data.country, parsed.data.region]
    .filter((s) => s !== undefined && s !== '')
    .join('/');
  if (parsed.data.blocked) {
    return {
      status: 'fail',
      code: 'REGION_BLOCKED',
      message: `Polymarket does not serve orders from this machine's region${where === '' ? '' : ` (${where})`}`,
      fix: 'Run PolyHunter from a region where Polymarket allows trading; nothing in PolyHunter can lift the block.',
    };
  }
  return pass(`region allowed${where === '' ? '' : ` (${where})`}`);
}
