// Sortable register tables where there is JavaScript; without it they are plain, readable tables.
// A header becomes a button (keyboard-usable); aria-sort tells assistive technology the order.
(function () {
  "use strict";
  var collator = new Intl.Collator("bg", { numeric: true, sensitivity: "base" });
  function key(cell) { return cell ? (cell.getAttribute("data-sort") || cell.textContent.trim()) : ""; }
  function sortBy(table, index, header) {
    var body = table.tBodies[0];
    var descending = header.getAttribute("aria-sort") === "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var order = collator.compare(key(a.cells[index]), key(b.cells[index]));
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }
  function enhance(table) {
    if (!table.tHead || !table.tBodies.length || table.dataset.portalSortable) return;
    table.dataset.portalSortable = "1";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      button.addEventListener("click", function () { sortBy(table, index, th); });
      th.textContent = "";
      th.appendChild(button);
    });
  }
  function run() { document.querySelectorAll("table.portal-sortable").forEach(enhance); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run); else run();
})();
