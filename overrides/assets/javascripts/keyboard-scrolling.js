// A box that scrolls must take the keyboard focus, or someone without a
// mouse cannot read what is outside it (WCAG 2.1.1): a focused box scrolls
// with the arrow keys. Material does this for its own code blocks (the
// lab pages' code and outputs included) but not for tables and formulas,
// so these boxes are handled here.
const SCROLLING_BOXES = [
  ".md-typeset__scrollwrap", // a table wider than the page
  ".md-typeset .ck-output--html", // a lab output such as a wide data frame
  ".md-typeset .arithmatex", // a long formula
].join(", ");

// In the tab order while the box scrolls, out of it when it fits again (a
// wider window): a tab stop that does nothing only slows people down.
function followOverflow(box) {
  const scrolls =
    box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight;
  if (scrolls) {
    box.setAttribute("tabindex", "0");
  } else {
    box.removeAttribute("tabindex");
  }
}

function keyboardScrolling() {
  let observer = null;
  return () => {
    observer?.disconnect();
    // Called once for each box when it is first observed, then whenever
    // its size changes (window resized, formula typeset).
    observer = new ResizeObserver((entries) => {
      entries.forEach((entry) => followOverflow(entry.target));
    });
    document.querySelectorAll(SCROLLING_BOXES).forEach((box) => {
      if (!box.hasAttribute("tabindex")) {
        observer.observe(box);
      }
    });
  };
}

// Material swaps pages without reloading (instant navigation): document$
// emits each new page.
if (typeof document$ !== "undefined") {
  document$.subscribe(keyboardScrolling());
} else {
  document.addEventListener("DOMContentLoaded", keyboardScrolling());
}
