// Values a page computes (a category's colour, a column or row count) come in data- attributes:
// the Content-Security-Policy refuses style attributes, but a script of the site's own may still
// set them through the CSSOM. Runs on the page and on every fragment htmx swaps in.
(() => {
  "use strict";
  const COLOUR = /^#[0-9a-fA-F]{6}$/;
  const COUNT = /^[0-9]{1,6}$/;
  // data attribute -> [CSS custom property, accepted values]
  const PROPERTIES = {
    anno: ["--anno", COLOUR],
    columns: ["--columns", COUNT],
    rows: ["--rows", COUNT],
    rowStart: ["--row-start", COUNT],
  };
  const SELECTOR = "[data-anno], [data-columns], [data-rows], [data-row-start]";

  function styleElement(element) {
    for (const [key, [property, accepted]] of Object.entries(PROPERTIES)) {
      const value = element.dataset[key];
      if (value !== undefined && accepted.test(value)) element.style.setProperty(property, value);
    }
  }

  function styleWithin(root) {
    if (!(root instanceof Element)) return;
    if (root.matches(SELECTOR)) styleElement(root);
    root.querySelectorAll(SELECTOR).forEach(styleElement);
  }

  htmx.onLoad(styleWithin);
})();
