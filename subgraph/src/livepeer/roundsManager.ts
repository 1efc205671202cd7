// Livepeer RoundsManager: one Round per NewRound, carrying the Minter's values for that round.
import { NewRound } from "../../generated/RoundsManager/RoundsManager";
import { Round } from "../../generated/schema";
import { protocolKey } from "../core/ids";
import { getProtocol } from "../core/protocol";

export function handleNewRound(event: NewRound): void {
  const protocol = getProtocol();
  const round = new Round(protocolKey(protocol.id).concatI32(event.params.round.toI32()));
  round.protocol = protocol.id;
  round.number = event.params.round;
  round.startBlock = event.block.number;
  round.startTimestamp = event.block.timestamp;
  round.mintableTokens = protocol.currentMintableTokens;
  round.inflation = protocol.currentInflation;
  round.save();
  protocol.currentRound = event.params.round;
  protocol.save();
}
