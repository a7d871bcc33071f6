// Annotating in the browser: turn a text selection into segment offsets (in code points,
// footnote markers left out, as the server counts them), open the form or a thread in the
// drawer, and re-attach unanchored annotations. Requests go through htmx.
(() => {
  "use strict";
  const spans = []; // spans chosen for the annotation being written
  let reattachUrl = null; // set while an orphan waits for its new text
  let current = null; // the span of the current selection

  const config = () => document.getElementById("annotator");
  const csrf = () => JSON.parse(document.body.getAttribute("hx-headers") || "{}");

  // Code points of the container's text up to (node, offset), footnote markers excluded.
  function offsetOf(container, node, offset) {
    const range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    const fragment = range.cloneContents();
    fragment.querySelectorAll("sup.fn-ref").forEach((sup) => sup.remove());
    return Array.from(fragment.textContent).length;
  }

  function selectedSpan() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    const start = range.startContainer.parentElement?.closest(".seg-text");
    const end = range.endContainer.parentElement?.closest(".seg-text");
    if (!start || start !== end) return null; // one segment at a time
    const from = offsetOf(start, range.startContainer, range.startOffset);
    const to = offsetOf(start, range.endContainer, range.endOffset);
    if (to <= from) return null;
    return {
      segment: Number(start.dataset.segment), start: from, end: to,
      quote: selection.toString(), witness: start.dataset.witnessLabel,
      rect: range.getBoundingClientRect(),
    };
  }

  function bubble() {
    let element = document.getElementById("annotate-bubble");
    if (!element) {
      element = document.createElement("button");
      element.id = "annotate-bubble";
      element.type = "button";
      element.addEventListener("mousedown", (event) => event.preventDefault());
      element.addEventListener("click", onBubble);
      document.body.append(element);
    }
    return element;
  }

  function showBubble(span) {
    const element = bubble();
    const labels = config().dataset;
    element.textContent = reattachUrl ? labels.reattachLabel
      : spans.length ? labels.addLabel : labels.annotateLabel;
    element.style.top = `${window.scrollY + span.rect.bottom + 6}px`;
    element.style.left = `${window.scrollX + span.rect.left}px`;
    element.hidden = false;
  }

  function hideBubble() {
    const element = document.getElementById("annotate-bubble");
    if (element) element.hidden = true;
  }

  function openDrawer() {
    document.getElementById("drawer").hidden = false;
  }

  // On a wide screen the thread opens beside its highlight, over the annotation sidebar,
  // its top level with the highlight's (kept on screen); on a narrow one it takes the side.
  function placeBeside(element) {
    const drawer = document.getElementById("drawer");
    if (!element || window.innerWidth <= 1100) {
      drawer.classList.remove("beside");
      drawer.style.top = "";
      drawer.style.maxHeight = "";
      return;
    }
    const top = Math.max(8, Math.min(element.getBoundingClientRect().top - 12, window.innerHeight - 360));
    drawer.classList.add("beside");
    drawer.style.top = `${top}px`;
    drawer.style.maxHeight = `${window.innerHeight - top - 8}px`; // it scrolls inside, on screen
  }

  function payload(list) {
    return JSON.stringify(list.map(({ segment, start, end }) => ({ segment, start, end })));
  }

  function onBubble() {
    if (!current) return;
    hideBubble();
    if (reattachUrl) {
      htmx.ajax("POST", reattachUrl, {
        target: "#drawer-content", swap: "innerHTML", headers: csrf(),
        values: { spans: payload([current]) },
      }).then(openDrawer);
      reattachUrl = null;
      return;
    }
    spans.push(current);
    window.getSelection().removeAllRanges();
    showForm();
  }

  function showForm() {
    placeBeside(document.querySelector(`.seg-text[data-segment="${spans[spans.length - 1]?.segment}"]`));
    const form = document.getElementById("annotation-form-template").content.cloneNode(true);
    const list = form.querySelector(".chosen-spans");
    spans.forEach((span) => {
      const item = document.createElement("li");
      item.textContent = `${span.witness}: “${span.quote}”`;
      list.append(item);
    });
    form.querySelector("input[name=spans]").value = payload(spans);
    const content = document.getElementById("drawer-content");
    content.replaceChildren(form);
    htmx.process(content);
    openDrawer();
    content.querySelector("textarea")?.focus();
  }

  function onSelectionEnd(event) {
    if (!config() || config().dataset.canAnnotate !== "1") return;
    if (event.target.closest?.("#drawer, #annotate-bubble")) return;
    setTimeout(() => {
      current = selectedSpan();
      if (current) showBubble(current); else hideBubble();
    }, 0);
  }
  document.addEventListener("mouseup", onSelectionEnd);
  // A selection made from the keyboard (Shift+arrows); thread.js presses the bubble on "a".
  document.addEventListener("keyup", (event) => {
    if (event.shiftKey || event.key === "Shift") onSelectionEnd(event);
  });

  document.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.anno, button.anno-count");
    if (mark && window.getSelection().isCollapsed) {
      const id = mark.dataset.annotations.split(" ")[0];
      const url = config().dataset.threadUrl.replace("/0/", `/${id}/`);
      placeBeside(mark);
      htmx.ajax("GET", url, { target: "#drawer-content", swap: "innerHTML" }).then(openDrawer);
      return;
    }
    const orphan = event.target.closest("button.reattach");
    if (orphan) {
      reattachUrl = orphan.dataset.url;
      orphan.textContent = config().dataset.reattachHint;
      return;
    }
    if (event.target.closest("#drawer-close")) {
      document.getElementById("drawer").hidden = true;
      spans.length = 0;
    }
  });

  // A link from elsewhere (a search hit) names an annotation: open its thread at once. The
  // fragment has already scrolled to its paragraph. An annotation the user may not see is a
  // 404, which htmx does not swap: the drawer stays shut (afterSwap below opens it).
  function openNamedThread() {
    const id = new URLSearchParams(window.location.search).get("annotation");
    if (!config() || !/^[0-9]+$/.test(id || "")) return;
    const url = config().dataset.threadUrl.replace("/0/", `/${id}/`);
    htmx.ajax("GET", url, { target: "#drawer-content", swap: "innerHTML" });
    // The thread's answer refreshes the text (annotations-changed), and the new paragraph
    // is no longer the :target the address points at: point at it again, once.
    if (!window.location.hash) return;
    document.body.addEventListener("htmx:afterSettle", function again(event) {
      if (event.target.id !== "document-body") return;
      document.body.removeEventListener("htmx:afterSettle", again);
      window.location.replace(window.location.hash);
    });
  }
  // A deferred script runs before DOMContentLoaded, on which htmx starts: after it, then.
  if (document.readyState === "complete") openNamedThread();
  else document.addEventListener("DOMContentLoaded", openNamedThread);

  // A saved annotation ends the form; opening a thread from the panel shows the drawer.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id === "drawer-content") {
      spans.length = 0;
      openDrawer();
    }
  });
})();
