export {
  type CompiledContract,
  type CompiledContracts,
  type ContractName,
  compileContracts,
} from "./compile.js";
export {
  ANVIL_MNEMONIC,
  type ContractDeployment,
  type Deployment,
  type DeployOptions,
  deployContracts,
  deployerAccount,
  economyOwner,
  simulatorParts,
} from "./deploy.js";
export type { Flows, PeriodKind, Stocks } from "./ledger.js";
export {
  createNetworkSimulator,
  deployNetwork,
  type NetworkDeployment,
  type NetworkGroundTruth,
  type NetworkSimulateOptions,
  NetworkSimulator,
} from "./network.js";
export {
  type ActivityRow,
  createSimulator,
  type DayRow,
  type FlowRow,
  type GroundTruth,
  type HourRow,
  type ProtocolTruth,
  type SimulateOptions,
  type SimulateProgress,
  Simulator,
  simulate,
  writeGroundTruth,
} from "./simulate.js";
