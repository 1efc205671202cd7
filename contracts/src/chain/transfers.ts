/**
 * Ordinary token transfers between holders (an exchange, known holders, the protocol's other accounts, now and then
 * a new holder): the draw every token of the local chain uses, bounded by what each sender has.
 */
import type { Rng } from "../rng.js";

type Addr = string;

export interface TransferPopulation {
  exchange: Addr;
  /** Known holders; a new holder is appended to it. */
  holders: Addr[];
  /** The protocol's other accounts (stakers, operators, ...). */
  others: Addr[];
  /** What an account may spend now. */
  balanceOf(account: Addr): bigint;
  /** The address of the next new holder. */
  newHolder(): Addr;
}

/**
 * Up to n transfers [from, to, amount], each sender's earlier transfers in the list already taken from its balance.
 * Empty when nobody drawn could send.
 */
export function drawTransfers(r: Rng, n: number, p: TransferPopulation): [Addr, Addr, bigint][] {
  const list: [Addr, Addr, bigint][] = [];
  const pending = new Map<Addr, bigint>();
  const bal = (a: Addr) => p.balanceOf(a) - (pending.get(a) ?? 0n);
  for (let i = 0; i < n; i++) {
    const u = r.next();
    const from = u < 0.35 ? p.exchange : u < 0.8 ? r.pick(p.holders) : r.pick(p.others);
    const b = bal(from);
    if (b <= 0n) continue;
    let to: Addr;
    const v = r.next();
    if (v < 0.2) {
      to = p.newHolder();
      p.holders.push(to);
    } else if (v < 0.6 && from !== p.exchange) to = p.exchange;
    else to = r.pick(p.holders);
    if (to === from) continue;
    let amount: bigint;
    if (from !== p.exchange && r.next() < 0.12)
      amount = b; // the holder leaves
    else {
      const ppm = BigInt(Math.floor(Math.min(0.5, r.pareto(0.002, 1.1)) * 1e6));
      amount = (b * ppm) / 1_000_000n;
      if (from === p.exchange) amount /= 20n;
    }
    if (amount === 0n) continue;
    list.push([from, to, amount]);
    pending.set(from, (pending.get(from) ?? 0n) + amount);
  }
  return list;
}
