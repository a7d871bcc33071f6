// The thread drawer as a dialog, and live: it takes focus when it opens, keeps Tab inside,
// closes on Escape and gives focus back to the highlight it came from; while it is open,
// other people's replies, resolutions and edits of its annotation show at once (the page's
// live stream, events.py), without losing a reply being typed. Also the keyboard way to
// annotate: select with Shift+arrows, then press "a" (annotator.js shows its button).
(() => {
  "use strict";
  let opener = null; // what had focus (or was clicked) when the drawer opened
  let lastEvent = null; // the id of the last live event handled (several elements relay it)

  const drawer = () => document.getElementById("drawer");
  const content = () => document.getElementById("drawer-content");
  const isOpen = () => drawer() && !drawer().hidden;
  const openThread = () => content()?.querySelector("article.thread");
  const FOCUSABLE = "a[href], button:not([disabled]), textarea, input:not([type=hidden]), select, [tabindex]:not([tabindex='-1'])";

  function focusables() {
    return Array.from(drawer().querySelectorAll(FOCUSABLE)).filter((el) => el.offsetParent !== null);
  }

  // Remember where the reader was: a highlight, its count badge, a list entry.
  document.addEventListener("click", (event) => {
    const from = event.target.closest?.("mark.anno, button.anno-count, .open-thread, #annotate-bubble");
    if (from && !from.closest("#drawer")) opener = from.id === "annotate-bubble" ? document.activeElement : from;
  }, true);

  let live = null; // a live refresh under way: the reply being typed, to put back

  function takeFocus() {
    const form = content().querySelector("form.annotation-form:not(.reply-form) textarea");
    const target = form || openThread() || content();
    if (target !== form) target.tabIndex = -1;
    target.focus();
  }

  // Closing (the × button, or Escape which presses it) gives focus back to the highlight.
  // The text is re-drawn when a thread opens (its highlights may change): the element that
  // opened it is then found again by its paragraph and kind.
  function again(element) {
    if (!element || document.body.contains(element)) return element;
    const paragraph = element.closest(".segment")?.id;
    if (!paragraph) return null;
    const kind = element.matches("button.anno-count") ? "button.anno-count" : "mark.anno";
    return document.querySelector(`#${CSS.escape(paragraph)} ${kind}`);
  }

  function giveFocusBack() {
    const id = openThread()?.dataset.annotation;
    const mark = id && document.querySelector(`mark.anno[data-annotations~="${id}"]`);
    const back = again(opener) || mark;
    opener = null;
    if (!back) return;
    if (!back.matches("a[href], button, textarea, input, select")) back.tabIndex = -1;
    back.focus();
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest?.("#drawer-close")) giveFocusBack();
  }, true); // before annotator.js empties nothing: the thread is still there to read its id

  document.addEventListener("keydown", (event) => {
    if (!isOpen()) return;
    if (event.key === "Escape") {
      event.preventDefault();
      document.getElementById("drawer-close").click();
      return;
    }
    if (event.key !== "Tab") return;
    const items = focusables();
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    const inside = drawer().contains(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  });

  // The drawer's content was replaced by a request the reader made: focus goes in.
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target?.id !== "drawer-content") return;
    if (live) restoreReply(); else takeFocus();
  });

  // Live: an event about the open annotation brings its thread again.
  document.body.addEventListener("htmx:sseMessage", (event) => {
    const message = event.detail;
    if (!message || message.lastEventId === lastEvent) return;
    lastEvent = message.lastEventId;
    let data;
    try { data = JSON.parse(message.data); } catch { return; }
    const thread = openThread();
    if (!isOpen() || !thread || String(data.annotation) !== thread.dataset.annotation) return;
    if (data.kind === "annotation-deleted") {
      content().replaceChildren(notice(drawer().dataset.deletedLabel));
      return;
    }
    if (thread.querySelector("form.annotation-form")) { // being edited: say so, keep the form
      if (!thread.querySelector(".changed-meanwhile")) thread.prepend(notice(drawer().dataset.changedLabel, "changed-meanwhile"));
      return;
    }
    refresh(thread);
  });

  function notice(text, extra = "") {
    const p = document.createElement("p");
    p.className = `muted live-notice ${extra}`.trim();
    p.setAttribute("role", "status");
    p.textContent = text;
    return p;
  }

  function refresh(thread) {
    const reply = thread.querySelector(".reply-form textarea");
    live = { typed: reply ? reply.value : "", focused: !!reply && document.activeElement === reply };
    htmx.ajax("GET", thread.dataset.url, { target: "#drawer-content", swap: "innerHTML" });
  }

  // After a live refresh: focus stays where the reader was, their reply as they left it.
  function restoreReply() {
    const { typed, focused } = live;
    live = null;
    const reply = openThread()?.querySelector(".reply-form textarea");
    if (!reply) return;
    if (typed && !reply.value) reply.value = typed;
    if (focused) reply.focus();
  }

  // Selecting from the keyboard: Shift+arrows extend the selection inside a paragraph's text
  // (Ctrl or Alt by words), starting from the paragraph whose number or badge has focus.
  // Browsers do this only with caret browsing on; here it works either way.
  const EXTEND = { ArrowLeft: "character", ArrowRight: "character", ArrowUp: "line", ArrowDown: "line", Home: "lineboundary", End: "lineboundary" };
  document.addEventListener("keydown", (event) => {
    if (!event.shiftKey || !(event.key in EXTEND) || event.metaKey) return;
    if (event.target.closest?.("input, textarea, select, [contenteditable], #drawer")) return;
    const selection = getSelection();
    const anchor = selection.anchorNode;
    let text = (anchor?.nodeType === 1 ? anchor : anchor?.parentElement)?.closest(".seg-text");
    if (!text) {
      text = document.activeElement?.closest?.(".segment")?.querySelector(".seg-text");
      if (!text) return;
      selection.collapse(text, 0);
    }
    event.preventDefault();
    const backward = ["ArrowLeft", "ArrowUp", "Home"].includes(event.key);
    const unit = (event.ctrlKey || event.altKey) && EXTEND[event.key] === "character" ? "word" : EXTEND[event.key];
    selection.modify("extend", backward ? "backward" : "forward", unit);
  });

  // The keyboard way to annotate: with a selection made by Shift+arrows, "a" presses the
  // "Annotate" button annotator.js shows under it.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "a" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest?.("input, textarea, select, [contenteditable]")) return;
    const bubble = document.getElementById("annotate-bubble");
    if (!bubble || bubble.hidden) return;
    event.preventDefault();
    // Back, after, to what had focus (a paragraph's number); re-drawn, to the new highlight.
    const focused = document.activeElement?.closest?.(".segment") ? document.activeElement : null;
    opener = focused || document.getSelection()?.anchorNode?.parentElement?.closest(".seg-text") || null;
    bubble.click();
  });
})();
