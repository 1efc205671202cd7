/** The gateway's GraphQL schema. Every type, field, argument and enum value carries a description. */

export const typeDefs = /* GraphQL */ `
"""
Seconds since the Unix epoch (UTC), serialized as a JSON number.
"""
scalar UnixTime

"Period length of a series."
enum Interval {
  "UTC hours (graph-node hourly aggregation)."
  HOUR
  "UTC days (graph-node daily aggregation)."
  DAY
  "ISO weeks starting Monday 00:00 UTC, rolled up by the gateway from days."
  WEEK
  "Calendar months (UTC), rolled up by the gateway from days."
  MONTH
}

"What a metric's values are."
enum UnitKind {
  "An amount of the protocol's token, as an exact decimal string scaled by the token's decimals."
  TOKEN
  "An amount of the protocol's fee asset (Livepeer ETH, The Graph GRT), exact decimal string."
  FEE_ASSET
  "US dollars, exact decimal string (18 decimals): each event valued with its asset's price from the chain (docs/methodology.md, Prices)."
  USD
  "A count (integer)."
  COUNT
  "A dimensionless ratio (0.03 = 3%)."
  RATIO
  "A rate per year (365 days), dimensionless (0.08 = 8% a year)."
  RATE_PER_YEAR
}

"How a metric behaves over time."
enum MetricKind {
  "A flow: summed over the period."
  FLOW
  "A stock: the value at the end of the period."
  STOCK
  "A ratio or rate computed from the period's flows and stocks."
  RATIO
  "An exact distinct count of the period (never a sum of shorter periods)."
  DISTINCT
}

"Group of a metric."
enum MetricGroup {
  "Supply and emission."
  SUPPLY
  "Demand and fees."
  DEMAND
  "Staking."
  STAKING
  "Circulation."
  CIRCULATION
}

"Scorecard section."
enum ScoreCategory {
  "Utility and demand: fees, payers, trends."
  UTILITY
  "Incentive design: incentive coverage, reward and real yields."
  INCENTIVES
  "Token economics: inflation, sinks, net emission."
  TOKEN_ECONOMICS
  "Decentralisation of stake across operators."
  DECENTRALISATION
}

"A block of an upstream chain index."
type Block {
  "Block number."
  number: Int!
  "Block hash (null when graph-node does not report it)."
  hash: String
  "Block timestamp, seconds."
  timestamp: UnixTime!
  "Block timestamp, ISO-8601."
  iso: String!
}

"An asset (token or ETH)."
type Asset {
  "Contract address; the zero address for ETH."
  address: String!
  "Symbol."
  symbol: String!
  "Decimals of the smallest unit."
  decimals: Int!
}

"An exact amount of an asset."
type Amount {
  "Integer in the smallest unit (e.g. wei), as a string."
  raw: String!
  "Exact decimal string scaled by the asset's decimals."
  value: String!
  "Asset symbol."
  symbol: String!
}

"Unit of a series or scorecard line."
type Unit {
  "Kind of value."
  kind: UnitKind!
  "Asset symbol for amounts; null otherwise."
  symbol: String
  "Asset decimals for amounts; null otherwise."
  decimals: Int
}

"One upstream read by an answer: which graph-node, which network, at which block."
type UpstreamRead {
  "Name of the upstream (graph-node endpoint)."
  upstream: String!
  "Network of its deployment."
  network: String!
  "Block read."
  block: Block!
  "False where the protocol's token on this network is a bridged copy of another network's."
  canonicalSupply: Boolean!
  "True where this network's totalSupply is part of the protocol's: the canonical network's, and every network's of a token bridged by burn-and-mint (a lock-and-mint copy is not new supply)."
  supplyCounted: Boolean!
}

"A value of a Protocol that is null, and why."
type NullField {
  "Name of the field that is null."
  field: String!
  "Why it is null (e.g. the protocol has no operators on its network)."
  reason: String!
}

"""
An indexed protocol, as read at one block per upstream. A protocol indexed on several networks (one upstream
each) is one protocol: flows summed across networks; totalSupply summed over the networks whose supply counts
(every network of a token bridged by burn-and-mint, only the canonical one for a lock-and-mint copy: see
reads.supplyCounted); each network alone is "upstream/slug". A value that does not apply to the protocol is null,
never 0, and listed in nulls with the reason.
"""
type Protocol {
  "Protocol slug (e.g. livepeer, thegraph); upstream/slug for one network of a protocol on several."
  id: String!
  "Display name."
  name: String!
  "Network of the deployment (several joined by +)."
  network: String!
  "Name of the upstream (graph-node endpoint) that serves it (the canonical network's for several)."
  upstream: String!
  "Every upstream and block read, one per network."
  reads: [UpstreamRead!]!
  "Subgraph deployment id (IPFS hash)."
  deployment: String
  "Block the values were read at."
  block: Block!
  "The protocol's token."
  token: Asset!
  "The asset fees are paid in."
  feeAsset: Asset!
  "Subgraph schema version."
  schemaVersion: String!
  "Methodology version (docs/methodology.md)."
  methodologyVersion: String!
  "Total supply at the block."
  totalSupply: Amount!
  "Tokens staked at the block; null where the protocol has no staking."
  staked: Amount
  "staked / totalSupply at the block; null when supply is 0 or the protocol has no staking."
  stakingRatio: Float
  "Operators with stake > 0; null where the protocol has no operators (e.g. Morpheus, SingularityNET)."
  operators: Int
  "Accounts with stake > 0; null where the protocol has no staking."
  stakers: Int
  "Accounts with a token balance > 0."
  holders: Int!
  "All tokens minted since indexing started."
  cumulativeMinted: Amount!
  "All tokens burned since indexing started."
  cumulativeBurned: Amount!
  "All reward emission since indexing started; null where the protocol mints no rewards (e.g. SingularityNET)."
  cumulativeGrossEmission: Amount
  "The fields above that are null for this protocol, each with the reason."
  nulls: [NullField!]!
}

"One value of a series."
type Point {
  "Start of the period, seconds."
  timestamp: UnixTime!
  "Start of the period, ISO-8601 (date for DAY/WEEK/MONTH)."
  date: String!
  "Exact value: decimal string for amounts, integer for counts, number text for ratios; null when not applicable or undefined (e.g. division by zero)."
  value: String
  "Integer value in the smallest unit for amounts and counts; null for ratios."
  raw: String
  "The value as a float (convenience; not exact for large amounts)."
  float: Float
  "True when the period is not complete yet (current week or month)."
  partial: Boolean!
  "Why an applicable value is null, when the gateway can say: the period is before the protocol's first indexed data (unknown, not 0), or a USD value had no usable price."
  note: String
  "For values that use a price at the period's end (price, marketCap, priceToFees, ...): the price source's name."
  priceSource: String
  "The start of the hour or day bucket whose close price was used (the price's time); null otherwise."
  priceTime: UnixTime
}

"A metric of one protocol over time."
type Series {
  "Protocol id, as asked (e.g. morpheus, or local-b/morpheus for one network of it)."
  protocol: String!
  "Metric name."
  metric: String!
  "Period length."
  interval: Interval!
  "Unit of the values."
  unit: Unit!
  "False when the metric does not apply to the protocol: all values are null, never 0."
  applicable: Boolean!
  "Block the series was read at (the canonical network's for a protocol on several networks)."
  block: Block!
  "Every upstream and block the series read, one per network."
  reads: [UpstreamRead!]!
  "True only when an upstream was down and allowStale was asked: this is the last good answer, read at its block."
  stale: Boolean!
  "Values, one per period, oldest first; periods without activity are included (flows 0, stocks carried); periods wholly before the protocol's first indexed data are null with a note (unknown)."
  points: [Point!]!
}

"The metric over the whole compared window for one protocol."
type WindowValue {
  "Protocol id, as asked."
  protocol: String!
  "Value over the window taken as one period from the protocol's first indexed data on (flows summed, stocks at the end, ratios recomputed); null where no exact window value exists or the window is wholly before the first data."
  value: String
  "Value as a float."
  float: Float
  "Unit."
  unit: Unit!
  "Why the value is null, when the gateway can say."
  note: String
}

"One metric compared across protocols."
type Comparison {
  "Metric name."
  metric: String!
  "Period length."
  interval: Interval!
  "One series per protocol."
  series: [Series!]!
  "One value per protocol for the whole window."
  window: [WindowValue!]!
  "True only when an upstream was down and allowStale was asked: this is the last good answer, read at its block."
  stale: Boolean!
}

"A metric in the catalog."
type MetricInfo {
  "Name to pass to series/compare."
  name: String!
  "Definition (docs/metrics.md)."
  description: String!
  "Group."
  group: MetricGroup!
  "Unit kind."
  unit: UnitKind!
  "Flow, stock, ratio or distinct count."
  kind: MetricKind!
  "Intervals the metric has a series for."
  intervals: [Interval!]!
}

"One line of a scorecard."
type ScoreLine {
  "Section."
  category: ScoreCategory!
  "Metric name."
  metric: String!
  "Exact value (see Point.value); null when not applicable or undefined."
  value: String
  "Value as a float."
  float: Float
  "Unit."
  unit: Unit!
  "Window in days the value covers; null for values at the block (decentralisation) or own windows (trends)."
  windowDays: Int
  "Window start, seconds; null like windowDays."
  from: UnixTime
  "Window end (exclusive), seconds; null like windowDays."
  to: UnixTime
  "Block the value was read at."
  block: Block!
  "Plain-language finding."
  finding: String!
  "Why the value is null, when the gateway can say."
  note: String
}

"A protocol's scorecard over a window of days ending at the last complete UTC day."
type Scorecard {
  "Protocol id, as asked."
  protocol: String!
  "Window in days."
  windowDays: Int!
  "Window start, seconds."
  from: UnixTime!
  "Window end (exclusive), seconds."
  to: UnixTime!
  "Block the scorecard was read at (the canonical network's for a protocol on several networks)."
  block: Block!
  "Every upstream and block the scorecard read, one per network."
  reads: [UpstreamRead!]!
  "True only when an upstream was down and allowStale was asked: this is the last good answer, read at its block."
  stale: Boolean!
  "Lines, by category."
  lines: [ScoreLine!]!
}

"An error reported for an upstream."
type UpstreamErrorInfo {
  "Error code (UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, ...)."
  code: String!
  "Message (never contains the upstream URL or key)."
  message: String!
}

"Health of one upstream graph-node."
type UpstreamStatus {
  "Upstream name."
  name: String!
  "Upstream URL with keys redacted."
  url: String!
  "Network."
  network: String!
  "True when the subgraph answered."
  ok: Boolean!
  "Deployment id."
  deployment: String
  "Latest indexed block."
  block: Block
  "Seconds between now and the indexed block's timestamp."
  lagSeconds: Int
  "Blocks between the chain head and the indexed block (from the index-node status API)."
  lagBlocks: Int
  "Synced flag from the index-node status API."
  synced: Boolean
  "Health from the index-node status API (healthy, unhealthy, failed)."
  health: String
  "Fatal indexing error message, if any."
  fatalError: String
  "The subgraph reports indexing errors (_meta.hasIndexingErrors)."
  hasIndexingErrors: Boolean
  "Protocols served by this upstream."
  protocols: [String!]!
  "Errors met while asking this upstream."
  errors: [UpstreamErrorInfo!]!
}

"Queries."
type Query {
  "Indexed protocols with their current stocks, read at each upstream's latest block."
  protocols: [Protocol!]!
  "The metric catalog."
  metrics: [MetricInfo!]!
  "Series of several metrics for several protocols; one upstream request per deployment for all of them."
  series(
    "Protocol ids (see protocols)."
    protocols: [String!]!
    "Metric names (see metrics)."
    metrics: [String!]!
    "Period length."
    interval: Interval!
    "Start, seconds or ISO-8601; floored to the start of its period."
    from: String!
    "End (exclusive), seconds or ISO-8601; periods starting before it are included, up to the last closed bucket."
    to: String!
    "When an upstream is down: answer with the last result computed for the same arguments, marked stale (its block says when it was read), instead of an error. Without it, an upstream that is down is an error (extensions.code UPSTREAM_*)."
    allowStale: Boolean = false
  ): [Series!]!
  "One metric compared across protocols, with a whole-window value per protocol."
  compare(
    "Protocol ids."
    protocols: [String!]!
    "Metric name."
    metric: String!
    "Period length."
    interval: Interval!
    "Start, seconds or ISO-8601."
    from: String!
    "End (exclusive), seconds or ISO-8601."
    to: String!
    "When an upstream is down: answer with the last result computed for the same arguments, marked stale (its block says when it was read), instead of an error. Without it, an upstream that is down is an error (extensions.code UPSTREAM_*)."
    allowStale: Boolean = false
  ): Comparison!
  "A protocol's scorecard over the last window days."
  scorecard(
    "Protocol id."
    protocol: String!
    "Window in days (1–365), ending at the last complete UTC day."
    window: Int = 30
    "When an upstream is down: answer with the last result computed for the same arguments, marked stale (its block says when it was read), instead of an error. Without it, an upstream that is down is an error (extensions.code UPSTREAM_*)."
    allowStale: Boolean = false
  ): Scorecard!
  "Per upstream: indexed block, timestamp, lag, health, errors."
  status: [UpstreamStatus!]!
}
`;
