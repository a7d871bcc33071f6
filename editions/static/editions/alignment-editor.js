// The alignment editor's keyboard shortcuts and click-to-link. Every change is still a
// server round trip through the row's own form (htmx); this file only picks the row and
// presses its buttons, so the page works the same with the mouse.
(() => {
  "use strict";
  let selected = 0;
  let pending = null; // the first unit clicked for a link: {side, sid}

  const editor = () => document.getElementById("editor");
  const rows = () => Array.from(document.querySelectorAll(".arow[data-row]"));

  // The page holds a window of the rows (data-row is the row's index in the whole
  // alignment); a row outside it is asked of the server, which sends the page holding it.
  const rowAt = (n) => document.querySelector(`.arow[data-row="${n}"]`);

  function select(n, scroll = true) {
    const total = Number(editor()?.dataset.total || 0);
    if (!total) return;
    const wanted = Math.max(0, Math.min(n, total - 1));
    const row = rowAt(wanted);
    if (!row) {
      window.location.assign(`?row=${wanted}#row-${wanted}`);
      return;
    }
    selected = wanted;
    rows().forEach((r) => r.classList.toggle("selected", r === row));
    document.querySelectorAll(".focus-row").forEach((input) => { input.value = selected; });
    if (scroll) row.scrollIntoView({ block: "nearest" });
  }

  function press(op) {
    const button = rowAt(selected)?.querySelector(`button[name="op"][value="${op}"]`)
      || document.querySelector(`.aligner-toolbar button[name="op"][value="${op}"]`);
    if (button && !button.disabled) button.click();
  }

  // The next row, after the selected one and wrapping round, that needs review: doubtful
  // first, then merely unconfirmed. When the page holds only some rows, the server, which
  // knows them all, answers unless a doubtful row follows among those loaded.
  function nextToReview() {
    const all = rows();
    const after = all.filter((r) => Number(r.dataset.row) > selected);
    if (document.querySelector(".arow.more")) {
      const near = after.find((r) => r.dataset.review === "1");
      if (near) select(Number(near.dataset.row));
      else window.location.assign(`?row=${selected}&next=1`);
      return;
    }
    const order = [...after, ...all.filter((r) => Number(r.dataset.row) <= selected)];
    const found = order.find((r) => r.dataset.review === "1")
      ?? order.find((r) => r.dataset.confirmed === "0");
    if (found) select(Number(found.dataset.row));
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
    const first = pending;
    pending = null;
    if (!confirmRegrouping(first, { side, sid })) return;
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    htmx.ajax("POST", editor().dataset.operateUrl, {
      target: "#editor", swap: "outerHTML", headers,
      values: { op: "link", version: editor().dataset.version, row: selected,
                source_sid: source, target_sid: target },
    });
  });

  // Linking regroups every row between the two units: ask before a confirmed row changes
  // (a row that comes out as it was stays confirmed on the server).
  function confirmRegrouping(one, other) {
    const rowOf = (u) => document.querySelector(`button.unit[data-side="${u.side}"][data-sid="${u.sid}"]`)?.closest(".arow");
    const [a, b] = [rowOf(one), rowOf(other)].map((row) => Number(row?.dataset.row));
    // By row number, not by place in the page: the page may start at any row.
    const span = rows().filter((row) => {
      const n = Number(row.dataset.row);
      return n >= Math.min(a, b) && n <= Math.max(a, b);
    });
    const alone = a === b && span[0]?.querySelectorAll("button.unit").length === 2;
    if (alone || !span.some((row) => row.dataset.confirmed === "1")) return true;
    return window.confirm(editor().dataset.unconfirmQuestion);
  }

  document.body.addEventListener("htmx:afterSwap", () => {
    if (editor()) select(Number(editor().dataset.focus || 0));
  });
  document.addEventListener("DOMContentLoaded", () => {
    const asked = location.hash !== "" || new URLSearchParams(location.search).has("row");
    if (editor()) select(Number(editor().dataset.focus || 0), asked);
  });
})();
