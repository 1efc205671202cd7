/** A tiny DOM builder: text always goes through textContent, never HTML. */

/**
 * @param {string} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attrs]
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return el;
}

/**
 * A query shown with a Copy button (copies with the Clipboard API where the page may, else selects the text).
 * @param {string} query
 */
export function queryBlock(query) {
  const code = h("code", {}, query);
  const copy = h("button", { type: "button", class: "copy" }, "Copy");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(query);
      copy.textContent = "Copied";
    } catch {
      const range = document.createRange();
      range.selectNodeContents(code);
      const sel = getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
      copy.textContent = "Selected: press Ctrl+C";
    }
  });
  return h("details", { class: "query" }, h("summary", {}, "GraphQL query"), h("pre", {}, code), copy);
}

/**
 * An error that says what failed.
 * @param {string} what
 * @param {unknown} e
 */
export function errorBox(what, e) {
  document.body.dataset.errors = String(Number(document.body.dataset.errors ?? 0) + 1);
  return h(
    "p",
    { class: "error", role: "alert" },
    `${what} failed: ${e instanceof Error ? e.message : String(e)}`,
  );
}
