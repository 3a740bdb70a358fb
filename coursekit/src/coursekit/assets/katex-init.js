// Typeset the math that pymdownx.arithmatex marks, on first load and after
// each instant-navigation page change of Material.
function renderCourseMath() {
  document.querySelectorAll(".arithmatex").forEach((element) => {
    renderMathInElement(element, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    });
  });
}

if (typeof document$ !== "undefined") {
  document$.subscribe(renderCourseMath);
} else {
  document.addEventListener("DOMContentLoaded", renderCourseMath);
}
