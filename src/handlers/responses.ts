import type { APIGatewayProxyResult } from 'aws-lambda';

/** Lambda proxy integration result carrying a JSON body. */
export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
