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
