// Progressive enhancements only; every page works without this file.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button || !navigator.clipboard) return;
  navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
    button.textContent = "Copied";
  });
});

document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});

document.addEventListener("submit", function (event) {
  var form = event.target.closest("[data-progress]");
  if (!form) return;
  var note = form.querySelector(".progress");
  if (note) note.hidden = false;
  var button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
});

// this file is deferred: the page is parsed when it runs
(function () {
  // a folded filter panel stays open where there is room for it
  document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
    if (window.matchMedia("(min-width: 800px)").matches) details.open = true;
  });
  // after a search (or a refused one) the page lands on what to read next: the result
  // count, or the error summary; focus makes screen readers announce it
  var target = document.querySelector("[data-focus]");
  if (target) {
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
  }
})();
