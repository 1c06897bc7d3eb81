// Forms marked data-confirm="…" ask before they are sent (irreversible actions, issue 16
// point 4). A static file, not an inline handler, so the Content-Security-Policy holds.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
}, true);
