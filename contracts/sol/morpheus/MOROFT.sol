// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// Local stand-in for Morpheus' MOR token on an L2 (MorpheusAIs/SmartContracts contracts/MOROFT.sol, main
/// ea893fa6): an ERC-20 (OpenZeppelin 4.9.2, 18 decimals) and a LayerZero v2 OFT
/// (OFTCore.sol, OFT.sol, OFTMsgCodec.sol under contracts/ at layerzerolabs/lz-evm-oapp-v2/contracts/oft/, same tree).
/// Emits, per call, the real contract's events in its order:
/// - mint (minters only, e.g. L2MessageReceiver): Transfer(0x0 → account)
/// - burn / burnFrom: [Approval (burnFrom's allowance spend, OZ 4.9.2 _spendAllowance)] Transfer(account → 0x0)
/// - transferFrom: [Approval when the allowance is not infinite] Transfer
/// - send (OFTCore.send): _debit = _removeDust then _burn → Transfer(sender → 0x0), then OFTSent(guid, dstEid,
///   sender, amountSentLD, amountReceivedLD). The endpoint's PacketSent (another contract) is not emitted.
/// - lzReceive (OFTCore._lzReceive, from the endpoint only): _credit = _mint → Transfer(0x0 → to), then
///   OFTReceived(guid, srcEid, to, amountReceivedLD). Composed messages are not simulated.
contract MOROFT {
  event Transfer(address indexed from, address indexed to, uint256 value);
  event Approval(address indexed owner, address indexed spender, uint256 value);
  event OFTSent(bytes32 indexed guid, uint32 dstEid, address indexed fromAddress, uint256 amountSentLD, uint256 amountReceivedLD);
  event OFTReceived(bytes32 indexed guid, uint32 srcEid, address indexed toAddress, uint256 amountReceivedLD);

  string public constant name = "MOR";
  string public constant symbol = "MOR";
  uint8 public constant decimals = 18;
  /// OFTCore: 10^(localDecimals - sharedDecimals()), sharedDecimals() = 6.
  uint256 public constant decimalConversionRate = 1e12;

  address public owner;
  /// The LayerZero endpoint the simulator plays (OAppReceiver: only the endpoint calls lzReceive).
  address public endpoint;
  uint32 public immutable localEid;
  uint64 public sendNonce;

  uint256 public totalSupply;
  mapping(address => uint256) public balanceOf;
  mapping(address => mapping(address => uint256)) public allowance;
  mapping(address => bool) public isMinter;

  constructor(address endpoint_, address minter_, uint32 localEid_) {
    owner = msg.sender;
    endpoint = endpoint_;
    localEid = localEid_;
    if (minter_ != address(0)) isMinter[minter_] = true;
  }

  function updateMinter(address minter_, bool status_) external {
    require(msg.sender == owner, "Ownable: caller is not the owner");
    isMinter[minter_] = status_;
  }

  function mint(address account_, uint256 amount_) external {
    require(isMinter[msg.sender], "MOROFT: invalid caller");
    _mint(account_, amount_);
  }

  function burn(uint256 amount_) external {
    _burn(msg.sender, amount_);
  }

  function burnFrom(address account_, uint256 amount_) external {
    _spendAllowance(account_, msg.sender, amount_);
    _burn(account_, amount_);
  }

  function approve(address spender, uint256 amount) external returns (bool) {
    _approve(msg.sender, spender, amount);
    return true;
  }

  function transfer(address to, uint256 amount) external returns (bool) {
    _transfer(msg.sender, to, amount);
    return true;
  }

  function transferFrom(address from, address to, uint256 amount) external returns (bool) {
    _spendAllowance(from, msg.sender, amount);
    _transfer(from, to, amount);
    return true;
  }

  /// OFTCore.send with SendParam(dstEid, to, amountLD, minAmountLD, no options, no compose).
  function send(uint32 dstEid, bytes32 to, uint256 amountLD, uint256 minAmountLD) external returns (bytes32 guid) {
    uint256 amountSentLD = (amountLD / decimalConversionRate) * decimalConversionRate; // _removeDust
    uint256 amountReceivedLD = amountSentLD;
    require(amountReceivedLD >= minAmountLD, "SlippageExceeded");
    _burn(msg.sender, amountSentLD);
    sendNonce++;
    // GUID.generate(nonce, srcEid, sender, dstEid, receiver)
    guid = keccak256(abi.encodePacked(sendNonce, localEid, bytes32(uint256(uint160(address(this)))), dstEid, to));
    emit OFTSent(guid, dstEid, msg.sender, amountSentLD, amountReceivedLD);
  }

  /// OAppReceiver.lzReceive → OFTCore._lzReceive; message = OFTMsgCodec.encode(sendTo, amountSD).
  function lzReceive(uint32 srcEid, bytes32 guid, bytes calldata message) external {
    require(msg.sender == endpoint, "OnlyEndpoint");
    require(message.length == 40, "composed messages are not simulated");
    address toAddress = address(uint160(uint256(bytes32(message[:32]))));
    uint64 amountSD = uint64(bytes8(message[32:40]));
    uint256 amountReceivedLD = uint256(amountSD) * decimalConversionRate; // _toLD, then _credit mints it
    _mint(toAddress, amountReceivedLD);
    emit OFTReceived(guid, srcEid, toAddress, amountReceivedLD);
  }

  function _transfer(address from, address to, uint256 amount) internal {
    require(from != address(0) && to != address(0), "ERC20: transfer from/to the zero address");
    require(balanceOf[from] >= amount, "ERC20: transfer amount exceeds balance");
    balanceOf[from] -= amount;
    balanceOf[to] += amount;
    emit Transfer(from, to, amount);
  }

  function _mint(address account, uint256 amount) internal {
    require(account != address(0), "ERC20: mint to the zero address");
    totalSupply += amount;
    balanceOf[account] += amount;
    emit Transfer(address(0), account, amount);
  }

  function _burn(address account, uint256 amount) internal {
    require(balanceOf[account] >= amount, "ERC20: burn amount exceeds balance");
    balanceOf[account] -= amount;
    totalSupply -= amount;
    emit Transfer(account, address(0), amount);
  }

  function _approve(address o, address spender, uint256 amount) internal {
    allowance[o][spender] = amount;
    emit Approval(o, spender, amount);
  }

  /// OZ 4.9.2: an infinite allowance is not spent (no event); otherwise _approve emits Approval.
  function _spendAllowance(address o, address spender, uint256 amount) internal {
    uint256 current = allowance[o][spender];
    if (current != type(uint256).max) {
      require(current >= amount, "ERC20: insufficient allowance");
      _approve(o, spender, current - amount);
    }
  }
}
