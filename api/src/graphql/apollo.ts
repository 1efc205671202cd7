/**
 * The Apollo Server of a gateway, and running one HTTP GraphQL request through it. The same code runs on
 * the main thread (small requests) and in the worker threads (large ones, pool/worker.ts).
 */
import type { IncomingHttpHeaders } from "node:http";
import { ApolloServer, type ApolloServerPlugin, HeaderMap } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLFormattedError,
  Kind,
  type SelectionSetNode,
} from "graphql";
import type { Logger } from "pino";
import type { GatewayConfig } from "../core/config.js";
import type { RequestContext } from "../core/context.js";
import type { Gateway } from "../core/gateway.js";
import { queryLimits } from "../protections/limits.js";
import { redactText } from "../upstream/redact.js";
import { type GraphQLContext, resolvers } from "./resolvers.js";
import { typeDefs } from "./schema.js";

/** Whether a root selection set selects `name` (directly, or through inline fragments and fragment spreads). */
function selectsRootField(
  set: SelectionSetNode,
  doc: DocumentNode,
  name: string,
  seen = new Set<string>(),
): boolean {
  return set.selections.some((s) => {
    if (s.kind === Kind.FIELD) return s.name.value === name;
    if (s.kind === Kind.INLINE_FRAGMENT) return selectsRootField(s.selectionSet, doc, name, seen);
    if (seen.has(s.name.value)) return false;
    seen.add(s.name.value);
    const frag = doc.definitions.find(
      (d): d is FragmentDefinitionNode =>
        d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value,
    );
    return frag ? selectsRootField(frag.selectionSet, doc, name, seen) : false;
  });
}

/**
 * Decides, once per operation, whether its response may be kept by the response cache: a query that
 * succeeded without errors, not selecting `status` (live health, not a function of the block), and not
 * answered stale (resolvers.ts sets false). Responses read while an upstream was down are refused at store
 * time (http/server.ts). Every other field is a function of the blocks the request read at.
 */
const cacheabilityPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse(rc) {
        const body = rc.response.body;
        const outcome = rc.contextValue.response;
        if (!outcome) return;
        // Apollo hands each operation a shallow copy of the context: the decision goes into a shared object.
        outcome.cacheable =
          outcome.cacheable !== false &&
          rc.operation?.operation === "query" &&
          rc.document !== undefined &&
          body.kind === "single" &&
          !body.singleResult.errors &&
          !selectsRootField(rc.operation.selectionSet, rc.document, "status");
      },
    };
  },
};

export async function createApollo(
  config: GatewayConfig,
  logger: Logger,
): Promise<ApolloServer<GraphQLContext>> {
  const secrets = config.upstreams.flatMap((u) => [u.url, u.statusUrl ?? ""]);
  const apollo = new ApolloServer<GraphQLContext>({
    typeDefs,
    resolvers,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // The process that embeds the gateway owns SIGINT/SIGTERM (main.ts, or the stack supervisor, which must
    // stop graph-node and PostgreSQL too); Apollo's own handlers would race it and re-raise the signal.
    stopOnTerminationSignals: false,
    // Cost is estimated from the query text before anything runs (protections/cost.ts): a query known only by its
    // hash (automatic persisted queries) cannot be estimated, so it is not accepted.
    persistedQueries: false,
    validationRules: [queryLimits(config.maxDepth, config.maxFields)],
    // Apollo's cache-control plugin (on by default) would instrument every resolved field (thousands per
    // series) for nothing: cacheability is decided once per operation (cacheabilityPlugin).
    // The same landing page (Apollo Sandbox, documenting the schema) whatever NODE_ENV is (production.ts).
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageLocalDefault({ footer: false }),
      cacheabilityPlugin,
    ],
    formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
      const original = (error as { originalError?: unknown })?.originalError;
      const code = formatted.extensions?.code;
      if (code === "INTERNAL_SERVER_ERROR" && !(original instanceof GraphQLError)) {
        logger.error({ err: original ?? error }, "internal error");
      }
      return { ...formatted, message: redactText(formatted.message, secrets) };
    },
  });
  await apollo.start();
  return apollo;
}

export interface GraphQLHttpRequest {
  method: string;
  headers: IncomingHttpHeaders;
  search: string;
  /** Parsed JSON body (POST application/json), the body text otherwise, undefined for GET. */
  body: unknown;
}

export interface GraphQLHttpResponse {
  status: number;
  headers: [string, string][];
  body: string;
  /** Whether the whole-response cache may keep it (cacheabilityPlugin). */
  cacheable: boolean;
}

/** Runs one HTTP GraphQL request through Apollo with the request's context (one snapshot per upstream). */
export async function runGraphQL(
  apollo: ApolloServer<GraphQLContext>,
  gateway: Gateway,
  req: RequestContext,
  http: GraphQLHttpRequest,
): Promise<GraphQLHttpResponse> {
  const headers = new HeaderMap();
  for (const [k, v] of Object.entries(http.headers)) {
    if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  }
  const context: GraphQLContext = { gateway, req, response: { cacheable: null } };
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: http.method.toUpperCase(), headers, search: http.search, body: http.body },
    context: async () => context,
  });
  let body: string;
  if (result.body.kind === "complete") body = result.body.string;
  else {
    const chunks: string[] = [];
    for await (const chunk of result.body.asyncIterator) chunks.push(chunk);
    body = chunks.join("");
  }
  const status = result.status ?? 200;
  return {
    status,
    headers: [...result.headers],
    body,
    cacheable: context.response?.cacheable === true && status === 200,
  };
}
