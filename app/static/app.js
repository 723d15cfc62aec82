// Progressive enhancements only; every page works without this file.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button || !navigator.clipboard) return;
  navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
    button.textContent = "Copied";
  });
});

// a copy button beside a read-only field (the field works without this: select and copy);
// the status element named by data-status announces the button's data-copied message
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-from]");
  if (!button) return;
  var field = document.getElementById(button.getAttribute("data-copy-from"));
  if (!field) return;
  var status = document.getElementById(button.getAttribute("data-status"));
  var done = function () {
    if (status) status.textContent = button.getAttribute("data-copied") || "Copied";
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, function () {
      field.select();
    });
  } else {
    field.select();
    if (document.execCommand && document.execCommand("copy")) done();
  }
});

document.addEventListener("focusin", function (event) {
  if (event.target.matches && event.target.matches("[data-select-all]")) event.target.select();
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
  // copy buttons are shown only where this script runs
  document.querySelectorAll("[data-copy-from][hidden]").forEach(function (button) {
    button.hidden = false;
  });
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
