// The alignment editor's keyboard shortcuts and click-to-link. Every change is still a
// server round trip through the row's own form (htmx); this file only picks the row and
// presses its buttons, so the page works the same with the mouse.
(() => {
  "use strict";
  let selected = 0;
  let pending = null; // the first unit clicked for a link: {side, sid}

  const editor = () => document.getElementById("editor");
  const rows = () => Array.from(document.querySelectorAll(".arow[data-row]"));

  function select(n, scroll = true) {
    const all = rows();
    if (!all.length) return;
    selected = Math.max(0, Math.min(n, all.length - 1));
    all.forEach((row, i) => row.classList.toggle("selected", i === selected));
    document.querySelectorAll(".focus-row").forEach((input) => { input.value = selected; });
    if (scroll) all[selected].scrollIntoView({ block: "nearest" });
  }

  function press(op) {
    const button = rows()[selected]?.querySelector(`button[name="op"][value="${op}"]`)
      || document.querySelector(`.aligner-toolbar button[name="op"][value="${op}"]`);
    if (button && !button.disabled) button.click();
  }

  // The next row, after the selected one and wrapping round, that needs review: doubtful
  // first, then merely unconfirmed.
  function nextToReview() {
    const all = rows();
    const order = all.map((_, i) => (selected + 1 + i) % all.length);
    const doubtful = order.find((i) => all[i].dataset.review === "1");
    const open = order.find((i) => all[i].dataset.confirmed === "0");
    const found = doubtful ?? open;
    if (found !== undefined) select(found);
  }

  const KEYS = {
    j: () => select(selected + 1), ArrowDown: () => select(selected + 1),
    k: () => select(selected - 1), ArrowUp: () => select(selected - 1),
    n: nextToReview,
    c: "confirm", C: "confirm-up-to", m: "merge", x: "split", e: "gap", r: "realign",
    "{": "move-source-up", "}": "move-source-down",
    "[": "move-target-up", "]": "move-target-down",
    u: "undo", y: "redo",
  };

  document.addEventListener("keydown", (event) => {
    if (!editor() || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const action = KEYS[event.key];
    if (!action) return;
    event.preventDefault();
    if (typeof action === "function") action();
    else if (editor().dataset.canEdit === "1") press(action);
  });

  document.addEventListener("click", (event) => {
    const row = event.target.closest(".arow[data-row]");
    if (row) select(Number(row.dataset.row), false);
    const unit = event.target.closest("button.unit");
    if (!unit || editor()?.dataset.canEdit !== "1") return;
    const { side, sid } = unit.dataset;
    document.querySelectorAll(".unit.linking").forEach((u) => u.classList.remove("linking"));
    if (!pending || pending.side === side) {
      pending = { side, sid };
      unit.classList.add("linking");
      return;
    }
    const source = side === "source" ? sid : pending.sid;
    const target = side === "target" ? sid : pending.sid;
    pending = null;
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    htmx.ajax("POST", editor().dataset.operateUrl, {
      target: "#editor", swap: "outerHTML", headers,
      values: { op: "link", version: editor().dataset.version, row: selected,
                source_sid: source, target_sid: target },
    });
  });

  document.body.addEventListener("htmx:afterSwap", () => {
    if (editor()) select(Number(editor().dataset.focus || 0));
  });
  document.addEventListener("DOMContentLoaded", () => {
    if (editor()) select(Number(editor().dataset.focus || 0), location.hash !== "");
  });
})();
