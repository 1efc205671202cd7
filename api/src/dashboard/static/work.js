/**
 * The cards' pending work: each card loads on its own; a failure becomes an error in that card while the rest of
 * the page still draws. The page is ready once every card has settled.
 */

/** @type {Promise<void>[]} */
const pending = [];

/** Runs one card's work; a failure becomes an error in that card, the rest of the page still draws. */
export function settle(/** @type {Promise<void>} */ work) {
  pending.push(work.catch((e) => console.error(e)));
}

/** Resolves once every card's work so far has settled. */
export const allSettled = () => Promise.all(pending);
