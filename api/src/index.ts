/** Public API of the gateway package. */
export { type GatewayConfig, loadConfig, parseConfig, type UpstreamConfig } from "./core/config.js";
export { RequestContext } from "./core/context.js";
export { Gateway } from "./core/gateway.js";
export { type GatewayHandle, type StartOptions, startGateway } from "./http/server.js";
export { formatUnits, parseUnits } from "./metrics/amount.js";
export { METRICS } from "./metrics/catalog.js";
export { redactUrl } from "./upstream/redact.js";
