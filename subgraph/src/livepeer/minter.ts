// Livepeer Minter: the tokens mintable and the inflation of the round being initialised.
// The real RoundsManager calls the Minter before emitting NewRound, so this event precedes NewRound.
// Also the mapping of MinterV1, the first L2 Minter (same ABI), replaced at Arbitrum One block 6253359.
import { SetCurrentRewardTokens } from "../../generated/Minter/Minter";
import { getProtocol } from "../core/protocol";

export function handleSetCurrentRewardTokens(event: SetCurrentRewardTokens): void {
  const protocol = getProtocol();
  protocol.currentMintableTokens = event.params.currentMintableTokens;
  protocol.currentInflation = event.params.currentInflation;
  protocol.save();
}
