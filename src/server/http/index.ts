/**
 * The HTTP API's public face: start it with plain dependencies, get its address and a close.
 *
 * The dashboard: GET / and GET /<file> serve web/ (see static.ts).
 *
 * Reads (no token):
 *   GET /api/status              mode (PAPER/LIVE), uptime, each component's health
 *   GET /health                  each component; 503 when one is unhealthy
 *   GET /ready                   200 once serving and the database answers, else 503
 *   GET /api/leaders[/:address]  leaders with follows, trade and decision counts (one: positions, trades)
 *   GET /api/follows[/:id]       follow configurations (?account=&leader=)
 *   GET /api/settings[/:key]     every effective setting with its source; secrets masked
 *   GET /api/trades              leader trades with each source's lag (?leader=&since=)
 *   GET /api/decisions           copy decisions, reasons, numbers (?decision=&reason=&follow=&account=&leader=&since=)
 *   GET /api/orders              orders with stage timings (?status=&account=&follow=&since=)
 *   GET /api/guardrails          refusals with reason and numbers (?reason=&account=&leader=&since=&until=)
 *   GET /api/positions           positions marked at the book mids (?account=&all=true)
 *   GET /api/pnl                 PnL now, and a realized series from fills (?account=&since=&until=&bucket=)
 *   GET /api/paper/reset         what a paper reset would remove (?account=)
 *   GET /api/events              Server-Sent Events of the bus (?types=)
 * Lists are newest first, paged with `limit` (1-500, default 50) and `before` (the `nextBefore` of
 * the previous page). Times are epoch ms (`since` also takes ISO 8601), money micro-units.
 *
 * Writes (`Authorization: Bearer <dashboard.token>`):
 *   POST /api/follows, PATCH /api/follows/:id, DELETE /api/follows/:id
 *   PUT /api/settings/:key           body { "value": <json> }
 *   POST /api/paper/reset            body { "confirm": "RESET", "account"?: "paper" }
 *
 * Errors: `{ "error": { "code", "message" } }`.
 */
export { NO_TOKEN_MESSAGE, tokensMatch } from './auth.ts';
export { API_ACTOR, type ComponentHealthRow, type ServerEvents } from './context.ts';
export { type ErrorBody, HttpError } from './errors.ts';
export { DEFAULT_HEARTBEAT_MS, STREAMED_EVENTS, type StreamedEvent } from './event-streams.ts';
export { toJsonText } from './json.ts';
export { createScrubber, secretValuesOf } from './secrets.ts';
export {
  DEFAULT_HOST,
  type HttpPlugin,
  type HttpServer,
  type HttpServerOptions,
  startHttpServer,
} from './server.ts';
