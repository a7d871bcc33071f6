// Editing a segment in place on the document page (issue 4).
//
// The document body re-reads itself when something changes elsewhere (another reader's
// annotation, live over server-sent events). An open segment editor lives inside that body,
// so the refresh waits until the editor is saved or cancelled: typed text is never wiped.
(() => {
  let pendingRefresh = null;

  document.addEventListener("htmx:confirm", (event) => {
    const element = event.detail.elt;
    if (element.id === "document-body" && element.querySelector(".segment-editor")) {
      event.preventDefault();
      element.dataset.refreshWaiting = "true";
      pendingRefresh = () => event.detail.issueRequest(true);
    }
  });

  document.addEventListener("htmx:afterSettle", () => {
    const body = document.getElementById("document-body");
    if (pendingRefresh && body && !body.querySelector(".segment-editor")) {
      const refresh = pendingRefresh;
      pendingRefresh = null;
      refresh();
    }
  });
})();
