/** JSON-RPC 2.0 envelopes: request validation, responses and the standard error codes. */

export type JsonRpcId = string | number | null;

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcRequest {
  /** Absent for a notification (no response is due). */
  id?: JsonRpcId;
  method: string;
  /** Always an array: a missing `params` becomes [] (viem omits it on some calls). */
  params: unknown[];
}

export type JsonRpcResponse =
  | { jsonrpc: '2.0'; id: JsonRpcId; result: unknown }
  | { jsonrpc: '2.0'; id: JsonRpcId; error: JsonRpcErrorObject };

export const RPC_ERROR = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  /** geth: the request was fine but could not be served (e.g. a limit). */
  server: -32000,
} as const;

/** An error thrown by a handler that becomes a JSON-RPC error response. */
export class RpcRequestError extends Error {
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.name = 'RpcRequestError';
    this.code = code;
  }
}

export function resultResponse(id: JsonRpcId, result: unknown): JsonRpcResponse {
  return { jsonrpc: '2.0', id, result };
}

export function errorResponse(id: JsonRpcId, error: JsonRpcErrorObject): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error };
}

/** Validates one request object; the error response to send when it is not one. */
export function toRequest(value: unknown): { request: JsonRpcRequest } | { invalid: JsonRpcResponse } {
  const invalid = (message: string, id: JsonRpcId = null) => ({
    invalid: errorResponse(id, { code: RPC_ERROR.invalidRequest, message }),
  });
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return invalid('request must be an object');
  const v = value as Record<string, unknown>;
  const hasId = 'id' in v && v.id !== undefined;
  const id = v.id;
  if (hasId && id !== null && typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
    return invalid('id must be a string, a number or null');
  }
  const replyId = hasId ? (id as JsonRpcId) : null;
  if (typeof v.method !== 'string' || v.method === '')
    return invalid('method must be a non-empty string', replyId);
  if (v.params !== undefined && v.params !== null && !Array.isArray(v.params)) {
    return {
      invalid: errorResponse(replyId, { code: RPC_ERROR.invalidParams, message: 'params must be an array' }),
    };
  }
  const request: JsonRpcRequest = { method: v.method, params: Array.isArray(v.params) ? v.params : [] };
  if (hasId) request.id = id as JsonRpcId;
  return { request };
}
