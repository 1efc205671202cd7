// The 2024 AGIX -> FET migration (docs/protocols/singularitynet.md): the cause of the FET mint of the same
// transaction. The mint itself (supply, minted, the holder's balance) is recorded from FET's Transfer.
import { Migrated } from "../../generated/AsiMigration/AsiMigration";
import { newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";

export function handleMigrated(event: Migrated): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  flow.mintedMigration = event.params.fetAmount;
  flow.save();
}
