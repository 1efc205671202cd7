/** Public API of the gateway package. */
export { type GatewayConfig, loadConfig, parseConfig, type UpstreamConfig } from "./config.js";
export { Gateway, RequestContext } from "./gateway.js";
export { formatUnits, parseUnits } from "./metrics/amount.js";
export { METRICS } from "./metrics/catalog.js";
export { redactUrl } from "./redact.js";
export { type GatewayHandle, type StartOptions, startGateway } from "./server.js";
