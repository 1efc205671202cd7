/**
 * The Morpheus emitters' ABIs (contracts/sol/morpheus/*.sol) as the economy calls and decodes them. Events are the
 * real contracts' (abis/morpheus/*.json); functions are the emitters' (same names as the real ones where they exist).
 */
import { parseAbi } from "viem";

export const MOR_ABI = parseAbi([
  "event Transfer(address indexed from, address indexed to, uint256 value)",
  "event Approval(address indexed owner, address indexed spender, uint256 value)",
  "event OFTSent(bytes32 indexed guid, uint32 dstEid, address indexed fromAddress, uint256 amountSentLD, uint256 amountReceivedLD)",
  "event OFTReceived(bytes32 indexed guid, uint32 srcEid, address indexed toAddress, uint256 amountReceivedLD)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function transfer(address to, uint256 amount) returns (bool)",
  "function updateMinter(address minter_, bool status_)",
  "function send(uint32 dstEid, bytes32 to, uint256 amountLD, uint256 minAmountLD) returns (bytes32)",
  "function lzReceive(uint32 srcEid, bytes32 guid, bytes message)",
]);

export const RECEIVER_ABI = parseAbi([
  "event MessageSuccess(uint16 senderChainId, bytes senderAndReceiverAddresses, uint64 nonce, bytes payload)",
  "event MessageFailed(uint16 senderChainId, bytes senderAndReceiverAddresses, uint64 nonce, bytes payload, bytes reason)",
  "event RetryMessageSuccess(uint16 senderChainId, bytes senderAndReceiverAddresses, uint64 nonce, bytes payload)",
  "struct Config { address gateway; address sender; uint16 senderChainId; }",
  "function setParams(address rewardToken_, Config config_)",
  "function lzReceive(uint16 senderChainId_, bytes senderAndReceiverAddresses_, uint64 nonce_, bytes payload_)",
  "function retryMessage(uint16 senderChainId_, bytes senderAndReceiverAddresses_, uint64 nonce_, bytes payload_)",
]);

export const BUILDERS_ABI = parseAbi([
  "event UserDeposited(bytes32 indexed builderPool, address indexed user, uint256 amount)",
  "event UserWithdrawn(bytes32 indexed builderPool, address indexed user, uint256 amount)",
  "event AdminClaimed(bytes32 indexed builderPool, address receiver, uint256 amount)",
  "event FeePaid(address indexed user, bytes32 indexed operation, uint256 amount, address treasury)",
  "event SubnetCreated(bytes32 indexed subnetId, (string name, address admin, uint128 unusedStorage1_V4Update, uint128 withdrawLockPeriodAfterDeposit, uint128 unusedStorage2_V4Update, uint256 minimalDeposit, address claimAdmin) subnet)",
  "event Upgraded(address indexed implementation)",
  "function setFee(bytes32 operation_, uint256 part_)",
  "function setSubnetCreationFeeAmount(uint256 amount_)",
  "function upgradeToV4(address implementation_)",
  "function createBuilderPool(string name_, address admin_, uint128 withdrawLock_, uint256 minimalDeposit_)",
  "function createSubnet(string name_, address admin_, address claimAdmin_, uint128 withdrawLock_, uint256 minimalDeposit_)",
  "function deposit(bytes32 id_, uint256 amount_)",
  "function withdraw(bytes32 id_, uint256 amount_)",
  "function claim(bytes32 id_, address receiver_, uint256 rewards_)",
]);

export const TREASURY_ABI = parseAbi(["function setBuilders(address builders_)"]);
