// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

interface IMorToken {
  function transfer(address to, uint256 amount) external returns (bool);
  function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

interface IBuildersRewards {
  function sendRewards(address receiver_, uint256 amount_) external;
}

/// Local stand-in for Morpheus' Builders (the UUPS proxy on Arbitrum One and Base), in two implementations the
/// owner switches between as the real proxy was upgraded (`upgradeToV4`, emitting Upgraded):
///
/// V1–V3 (MorpheusAIs/SmartContracts contracts/builder-protocol/BuildersV3.sol, main ea893fa6; the same order in
/// old/Builders.sol and BuildersV2.sol):
/// - deposit: MOR transferFrom(user → Builders) [Approval unless infinite, Transfer], UserDeposited(pool, user, amount)
/// - withdraw: fee = amount × fee("withdraw") / 1e25; MOR Transfer(Builders → treasury, fee) when fee > 0,
///   MOR Transfer(Builders → user, amount − fee), UserWithdrawn(pool, user, amount − fee) — the amount NET of the
///   fee — then FeePaid(user, "withdraw", fee, treasury), emitted even when fee = 0.
/// - claim (pool admin): fee = rewards × fee("claim") / 1e25; BuildersTreasury.sendRewards(treasury, fee) when
///   fee > 0 [Transfer, RewardSent], BuildersTreasury.sendRewards(receiver, rewards − fee) [Transfer, RewardSent],
///   AdminClaimed(pool, receiver, rewards − fee), FeePaid(user, "claim", fee, treasury) (also when fee = 0).
///
/// V4 (BuildersV4.sol on branch feature/builders-v4, b38ee86, 2025-09-23; PR #59):
/// - createSubnet: when subnetCreationFeeAmount > 0, MOR transferFrom(creator → treasury) [Approval unless
///   infinite, Transfer] and FeePaid(creator, "buildersV4.fee.subnet.create", fee, treasury); then
///   SubnetMetadataEdited(id, metadata), SubnetCreated(id, subnet)
/// - deposit: as V3 (transferFrom, UserDeposited)
/// - withdraw: no fee (FEE_WITHDRAW_OPERATION removed): MOR Transfer(Builders → user, amount), UserWithdrawn
/// - claim (admin or claimAdmin): when fee > 0: sendRewards(treasury, fee) [Transfer, RewardSent] and FeePaid(user,
///   "claim", fee, treasury); then sendRewards(receiver, rewards − fee) [Transfer, RewardSent], AdminClaimed.
///
/// Not simulated: the reward-rate arithmetic (the claim's `rewards` is an argument the simulator computes from the
/// emission schedule; the real contract computes it from its rate and the treasury's rewards), the lock-period
/// multipliers, pause and migration. FeeConfig's (fee part, treasury) per operation are this contract's settings.
contract Builders {
  event UserDeposited(bytes32 indexed builderPool, address indexed user, uint256 amount);
  event UserWithdrawn(bytes32 indexed builderPool, address indexed user, uint256 amount);
  event AdminClaimed(bytes32 indexed builderPool, address receiver, uint256 amount);
  event FeePaid(address indexed user, bytes32 indexed operation, uint256 amount, address treasury);
  event BuilderPoolCreated(bytes32 indexed builderPoolId, BuilderPool builderPool);
  event SubnetCreated(bytes32 indexed subnetId, Subnet subnet);
  event SubnetMetadataEdited(bytes32 indexed subnetId_, SubnetMetadata metadata_);
  event Upgraded(address indexed implementation);

  struct BuilderPool {
    string name;
    address admin;
    uint128 poolStart;
    uint128 withdrawLockPeriodAfterDeposit;
    uint128 claimLockEnd;
    uint256 minimalDeposit;
  }

  struct Subnet {
    string name;
    address admin;
    uint128 unusedStorage1_V4Update;
    uint128 withdrawLockPeriodAfterDeposit;
    uint128 unusedStorage2_V4Update;
    uint256 minimalDeposit;
    address claimAdmin;
  }

  struct SubnetMetadata {
    string slug;
    string description;
    string website;
    string image;
  }

  struct Pool {
    address admin;
    address claimAdmin;
    uint128 withdrawLockPeriodAfterDeposit;
    uint256 minimalDeposit;
  }

  struct UserData {
    uint256 deposited;
    uint128 lastDeposit;
  }

  uint256 public constant PRECISION = 1e25;
  bytes32 public constant FEE_WITHDRAW_OPERATION = "withdraw";
  bytes32 public constant FEE_CLAIM_OPERATION = "claim";
  bytes32 public constant FEE_SUBNET_CREATE = "buildersV4.fee.subnet.create";

  address public owner;
  address public depositToken;
  address public buildersTreasury;
  /// FeeConfig.getFeeAndTreasuryForOperation: the treasury and the fee part (of 1e25) per operation.
  address public feeTreasury;
  mapping(bytes32 => uint256) public feePart;
  uint256 public subnetCreationFeeAmount;
  uint256 public version = 3;

  mapping(bytes32 => Pool) public pools;
  mapping(address => mapping(bytes32 => UserData)) public usersData;

  constructor(address depositToken_, address buildersTreasury_, address feeTreasury_) {
    owner = msg.sender;
    depositToken = depositToken_;
    buildersTreasury = buildersTreasury_;
    feeTreasury = feeTreasury_;
  }

  modifier onlyOwner() {
    require(msg.sender == owner, "Ownable: caller is not the owner");
    _;
  }

  function setFee(bytes32 operation_, uint256 part_) external onlyOwner {
    require(part_ <= PRECISION, "FC: invalid fee");
    feePart[operation_] = part_;
  }

  function setSubnetCreationFeeAmount(uint256 amount_) external onlyOwner {
    subnetCreationFeeAmount = amount_;
  }

  /// The proxy's upgrade to the V4 implementation (ERC1967 Upgraded).
  function upgradeToV4(address implementation_) external onlyOwner {
    require(version == 3, "BU: already V4");
    version = 4;
    emit Upgraded(implementation_);
  }

  /// V1–V3 createBuilderPool (pool id = keccak256(name)); the pool starts at once.
  function createBuilderPool(string calldata name_, address admin_, uint128 withdrawLock_, uint256 minimalDeposit_) external {
    require(version == 3, "BU: V4 creates Subnets");
    bytes32 id_ = keccak256(abi.encodePacked(name_));
    require(pools[id_].admin == address(0), "BU: pool already exist");
    require(admin_ != address(0), "BU: invalid admin address");
    pools[id_] = Pool(admin_, admin_, withdrawLock_, minimalDeposit_);
    emit BuilderPoolCreated(
      id_,
      BuilderPool(name_, admin_, uint128(block.timestamp), withdrawLock_, uint128(block.timestamp), minimalDeposit_)
    );
  }

  /// V4 createSubnet (subnet id = keccak256(chainid, name)).
  function createSubnet(
    string calldata name_,
    address admin_,
    address claimAdmin_,
    uint128 withdrawLock_,
    uint256 minimalDeposit_
  ) external {
    require(version == 4, "BU: V3 creates builder pools");
    bytes32 id_ = keccak256(abi.encodePacked(block.chainid, name_));
    require(pools[id_].admin == address(0), "BU: the Subnet already exist (1)");
    require(admin_ != address(0) && claimAdmin_ != address(0), "BU: invalid admin address");
    if (subnetCreationFeeAmount > 0) {
      IMorToken(depositToken).transferFrom(msg.sender, feeTreasury, subnetCreationFeeAmount);
      emit FeePaid(msg.sender, FEE_SUBNET_CREATE, subnetCreationFeeAmount, feeTreasury);
    }
    pools[id_] = Pool(admin_, claimAdmin_, withdrawLock_, minimalDeposit_);
    emit SubnetMetadataEdited(id_, SubnetMetadata(name_, "", "", ""));
    emit SubnetCreated(id_, Subnet(name_, admin_, 0, withdrawLock_, 0, minimalDeposit_, claimAdmin_));
  }

  function deposit(bytes32 id_, uint256 amount_) external {
    Pool storage pool = pools[id_];
    require(pool.admin != address(0), "BU: pool doesn't exist");
    require(amount_ > 0, "BU: nothing to deposit");
    UserData storage userData = usersData[msg.sender][id_];
    uint256 deposited_ = userData.deposited + amount_;
    require(deposited_ >= pool.minimalDeposit, "BU: amount too low");
    IMorToken(depositToken).transferFrom(msg.sender, address(this), amount_);
    userData.deposited = deposited_;
    userData.lastDeposit = uint128(block.timestamp);
    emit UserDeposited(id_, msg.sender, amount_);
  }

  function withdraw(bytes32 id_, uint256 amount_) external {
    Pool storage pool = pools[id_];
    require(pool.admin != address(0), "BU: pool doesn't exist");
    UserData storage userData = usersData[msg.sender][id_];
    if (amount_ > userData.deposited) amount_ = userData.deposited;
    require(amount_ > 0, "BU: nothing to withdraw");
    require(block.timestamp > userData.lastDeposit + pool.withdrawLockPeriodAfterDeposit, "BU: user withdraw is locked");
    uint256 newDeposited_ = userData.deposited - amount_;
    require(newDeposited_ >= pool.minimalDeposit || newDeposited_ == 0, "BU: invalid withdraw amount");
    userData.deposited = newDeposited_;
    if (version == 3) {
      uint256 fee_ = (amount_ * feePart[FEE_WITHDRAW_OPERATION]) / PRECISION;
      if (fee_ > 0) {
        IMorToken(depositToken).transfer(feeTreasury, fee_);
        amount_ -= fee_;
      }
      IMorToken(depositToken).transfer(msg.sender, amount_);
      emit UserWithdrawn(id_, msg.sender, amount_);
      emit FeePaid(msg.sender, FEE_WITHDRAW_OPERATION, fee_, feeTreasury);
    } else {
      IMorToken(depositToken).transfer(msg.sender, amount_);
      emit UserWithdrawn(id_, msg.sender, amount_);
    }
  }

  function claim(bytes32 id_, address receiver_, uint256 rewards_) external {
    Pool storage pool = pools[id_];
    require(pool.admin != address(0), "BU: pool doesn't exist");
    require(msg.sender == pool.admin || (version == 4 && msg.sender == pool.claimAdmin), "BU: invalid caller");
    require(rewards_ > 0, "BU: nothing to claim");
    uint256 fee_ = (rewards_ * feePart[FEE_CLAIM_OPERATION]) / PRECISION;
    if (fee_ > 0) {
      IBuildersRewards(buildersTreasury).sendRewards(feeTreasury, fee_);
      rewards_ -= fee_;
      if (version == 4) emit FeePaid(msg.sender, FEE_CLAIM_OPERATION, fee_, feeTreasury);
    }
    IBuildersRewards(buildersTreasury).sendRewards(receiver_, rewards_);
    emit AdminClaimed(id_, receiver_, rewards_);
    if (version == 3) emit FeePaid(msg.sender, FEE_CLAIM_OPERATION, fee_, feeTreasury);
  }
}
