// Progressive enhancements only; every page works without this file.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button || !navigator.clipboard) return;
  navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
    button.textContent = button.getAttribute("data-copied") || "Copied"; // in the page's language
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

// an error summary's link opens the folded section holding its field and puts the focus
// in the field (not only scrolls to it); each link is prefixed with the field's label
document.addEventListener("click", function (event) {
  var link = event.target.closest(".error-summary a[href^='#']");
  if (!link) return;
  var field = document.getElementById(link.getAttribute("href").slice(1));
  if (!field) return;
  event.preventDefault();
  var details = field.closest("details");
  if (details) details.open = true;
  field.focus();
  field.scrollIntoView({ block: "center" });
});
(function () {
  document.querySelectorAll(".error-summary a[href^='#']:not([href='#main'])").forEach(function (link) {
    var label = document.querySelector("label[for='" + link.getAttribute("href").slice(1) + "']");
    if (label && label.textContent.trim()) {
      link.textContent = label.textContent.replace("*", "").trim() + ": " + link.textContent;
    }
  });
  // a section holding a refused field is open
  document.querySelectorAll("details .has-error").forEach(function (field) {
    field.closest("details").open = true;
  });
})();

// hours: fill Monday to Friday with one span, or copy a day's times to the next day
document.addEventListener("click", function (event) {
  var fill = event.target.closest("[data-fill-weekdays]");
  if (fill) {
    var box = fill.closest("[data-hours]");
    var opens = box.querySelector("[data-quick-opens]").value;
    var closes = box.querySelector("[data-quick-closes]").value;
    ["Mon", "Tue", "Wed", "Thu", "Fri"].forEach(function (day) {
      var row = box.querySelector("[data-day='" + day + "']");
      if (!row) return;
      row.querySelector("[data-opens]").value = opens;
      row.querySelector("[data-closes]").value = closes;
    });
    var status = box.querySelector("[data-hours-status]");
    if (status) status.textContent = fill.getAttribute("data-done");
    return;
  }
  var copy = event.target.closest("[data-copy-day]");
  if (!copy) return;
  var from = copy.closest("[data-day]");
  var next = from.parentNode.querySelector("[data-day='" + copy.getAttribute("data-copy-day") + "']");
  if (!next) return;
  next.querySelector("[data-opens]").value = from.querySelector("[data-opens]").value;
  next.querySelector("[data-closes]").value = from.querySelector("[data-closes]").value;
  var said = from.closest("[data-hours]").querySelector("[data-hours-status]");
  if (said) said.textContent = copy.getAttribute("data-done");
});
(function () {
  document.querySelectorAll("[data-js-only][hidden]").forEach(function (el) {
    el.hidden = false;
  });
})();
