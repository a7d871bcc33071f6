// The language menu changes the language as soon as one is picked (the form's button shows
// only without JavaScript). An inline onchange would be refused by the Content-Security-Policy.
document.addEventListener("change", (event) => {
  const select = event.target;
  if (select instanceof HTMLSelectElement && select.hasAttribute("data-submit-on-change")) {
    select.form.requestSubmit();
  }
});
