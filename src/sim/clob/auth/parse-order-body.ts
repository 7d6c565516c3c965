/**
 * `POST /order` and `POST /orders` bodies: parse with zod (400 `Invalid order payload`) and check
 * that `owner` is the API key the request was signed with (400 `the order owner has to be the owner
 * of the API KEY`). Batch size limits and per-order results belong to the REST layer.
 */
import {
  type PostOrderV2Body,
  postOrdersV2BodySchema,
  postOrderV2BodySchema,
} from '../../../polymarket/clob/order-v2.ts';
import { accepted, CLOB_ERROR, refused, type Verified } from './replies.ts';

function parseJson(raw: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof raw !== 'string') return { ok: true, value: raw };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

/** One order body, from the raw JSON text or an already parsed value. */
export function parsePostOrderBody(raw: unknown): Verified<PostOrderV2Body> {
  const json = parseJson(raw);
  if (!json.ok) return refused(400, CLOB_ERROR.invalidOrderPayload, 'the body is not JSON');
  const parsed = postOrderV2BodySchema.safeParse(json.value);
  if (!parsed.success) {
    return refused(400, CLOB_ERROR.invalidOrderPayload, describeIssues(parsed.error.issues));
  }
  return accepted(parsed.data);
}

/** A batch body (a JSON array of order bodies). */
export function parsePostOrdersBody(raw: unknown): Verified<PostOrderV2Body[]> {
  const json = parseJson(raw);
  if (!json.ok) return refused(400, CLOB_ERROR.invalidOrderPayload, 'the body is not JSON');
  const parsed = postOrdersV2BodySchema.safeParse(json.value);
  if (!parsed.success) {
    return refused(400, CLOB_ERROR.invalidOrderPayload, describeIssues(parsed.error.issues));
  }
  return accepted(parsed.data);
}

/** `owner` must be the API key of the L2 headers (a uuid, not an address). */
export function checkOrderOwner(body: PostOrderV2Body, apiKey: string): Verified<PostOrderV2Body> {
  if (body.owner !== apiKey) {
    return refused(400, CLOB_ERROR.ownerMismatch, `owner ${body.owner} is not the request's API key`);
  }
  return accepted(body);
}
