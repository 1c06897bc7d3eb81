// Public pages (issue 16 point 2): give every body cell the text of its column header, so the
// phone-width CSS can show "label: value" rows instead of a table too wide for the screen.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("table").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    if (!heads.length) return;
    var labels = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      var column = 0;
      Array.prototype.forEach.call(tr.children, function (cell) {
        var span = cell.colSpan || 1;
        if (span === 1 && labels[column]) cell.setAttribute("data-label", labels[column]);
        column += span;
      });
    });
  });
});
