// The document page brings its rows by pages (the server sends the first screen, htmx the
// rest as the reader scrolls). This module keeps links working across pages that are not
// loaded yet: an address naming a segment or a row not on the page asks the server for the
// page of rows holding it; a link to a row already loaded just scrolls there.
(() => {
  "use strict";
  document.documentElement.classList.add("js");

  const body = () => document.getElementById("document-body");

  // A row is laid out by its cells (display: contents): scroll to its first cell.
  function reveal(element) {
    const box = element.classList.contains("srow") ? element.firstElementChild : element;
    box?.scrollIntoView({ block: "start" });
  }

  // "#srow-12" -> ?row=12, "#<witness>-p3" -> ?at=<witness>-p3, keeping the chosen witnesses.
  function pageHolding(id) {
    const params = new URLSearchParams(window.location.search);
    params.delete("row");
    params.delete("at");
    const row = /^srow-([0-9]+)$/.exec(id);
    if (row) params.set("row", row[1]);
    else params.set("at", id);
    return `${window.location.pathname}?${params}#${encodeURIComponent(id)}`;
  }

  function landOnHash() {
    if (!body()) return;
    const row = new URLSearchParams(window.location.search).get("row");
    if (!window.location.hash && /^[0-9]+$/.test(row || "")) {
      // A jump by row number (the navigator's forms): show that row at the top.
      const wanted = document.getElementById(`srow-${row}`);
      if (wanted) reveal(wanted);
      return;
    }
    if (!window.location.hash) return;
    const id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    const here = document.getElementById(id);
    if (here) {
      reveal(here);
      return;
    }
    const params = new URLSearchParams(window.location.search);
    if (params.get("at") === id) return; // asked already: the id is not on this document
    window.location.replace(pageHolding(id));
  }

  function scrollToLoaded(event) {
    const link = event.target.closest("a[data-row-link], a[data-anchor]");
    if (!link) return;
    const id = link.dataset.anchor || `srow-${link.dataset.rowLink}`;
    const found = document.getElementById(id);
    if (!found) return; // not loaded: the link's own address brings its page
    event.preventDefault();
    history.pushState(null, "", `#${id}`);
    reveal(found);
    found.querySelector("a, button")?.focus({ preventScroll: true });
  }

  // A live refresh re-reads the rows the reader has loaded, not just the first page.
  document.addEventListener("htmx:configRequest", (event) => {
    if (event.detail.elt !== body()) return;
    const rows = body().querySelectorAll(".srow[data-row]");
    if (!rows.length) return;
    event.detail.parameters.start = rows[0].dataset.row;
    event.detail.parameters.end = rows[rows.length - 1].dataset.row;
  });

  document.addEventListener("change", (event) => {
    const form = event.target.closest("form[data-autosubmit]");
    if (form && event.target.value) form.requestSubmit();
  });
  document.addEventListener("click", scrollToLoaded);
  window.addEventListener("hashchange", landOnHash);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", landOnHash);
  else landOnHash();
})();
