/** GraphQL error helpers: every error the gateway raises carries extensions.code. */
import { GraphQLError } from "graphql";

export type UpstreamErrorCode =
  | "UPSTREAM_UNAVAILABLE"
  | "UPSTREAM_TIMEOUT"
  | "UPSTREAM_BAD_RESPONSE"
  | "UPSTREAM_QUERY_FAILED"
  | "UPSTREAM_INDEXING_ERROR";

/** Bad user input naming the argument at fault. */
export function badInput(argument: string, message: string): GraphQLError {
  return new GraphQLError(`${argument}: ${message}`, {
    extensions: { code: "BAD_USER_INPUT", argument },
  });
}

/** An upstream failure. The message names the upstream, never its URL. */
export function upstreamError(
  code: UpstreamErrorCode,
  upstream: string,
  message: string,
  extra: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(`upstream ${upstream}: ${message}`, {
    extensions: { code, upstream, ...extra },
  });
}

export function isRetryable(err: unknown): boolean {
  if (!(err instanceof GraphQLError)) return false;
  const code = err.extensions.code;
  return code === "UPSTREAM_UNAVAILABLE" || code === "UPSTREAM_TIMEOUT";
}
