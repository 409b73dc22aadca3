// Province -> regency -> district selects that load their options on demand from /wilayah/.
// Without JavaScript the page still works: the server renders the options it knows.
(function () {
  var box = document.querySelector("[data-region-selects]");
  if (!box) return;
  var base = box.getAttribute("data-url");
  var levels = ["province", "regency", "district"];
  function select(level) { return box.querySelector('[data-level="' + level + '"]'); }
  function fill(level, items) {
    var el = select(level);
    el.length = 1;
    items.forEach(function (item) { el.add(new Option(item.name, item.code)); });
  }
  levels.slice(0, 2).forEach(function (level, i) {
    select(level).addEventListener("change", function () {
      var code = this.value;
      levels.slice(i + 1).forEach(function (below) { fill(below, []); });
      if (!code) return;
      fetch(base + code + "/", { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) { fill(levels[i + 1], items); });
    });
  });
})();
