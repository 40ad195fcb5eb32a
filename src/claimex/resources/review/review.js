// Filters: a claim row stays when it matches every chosen value; a paper stays when one of
// its rows does. Marks of hidden claims fade so the abstract keeps its text.
(function () {
  const selects = Array.from(document.querySelectorAll("#filters select"));
  const rows = Array.from(document.querySelectorAll("tr.claim"));
  function matches(row) {
    return selects.every(function (select) {
      const wanted = select.value;
      if (!wanted) return true;
      const values = JSON.parse(row.dataset[select.dataset.field] || "[]");
      return values.indexOf(wanted) >= 0;
    });
  }
  function apply() {
    let shownRows = 0;
    const active = selects.some(function (s) { return s.value; });
    document.querySelectorAll("article.paper").forEach(function (paper) {
      let visible = 0;
      const kept = new Set();
      paper.querySelectorAll("tr.claim").forEach(function (row) {
        const keep = matches(row);
        row.classList.toggle("hidden", !keep);
        if (keep) { visible += 1; kept.add(row.dataset.claim); }
      });
      paper.querySelectorAll("mark").forEach(function (mark) {
        const covering = mark.dataset.claims.split(" ");
        mark.classList.toggle("faded", !covering.some(function (c) { return kept.has(c); }));
      });
      paper.classList.toggle("hidden", active && visible === 0);
      shownRows += visible;
    });
    document.getElementById("shown").textContent = shownRows + " of " + rows.length + " claims shown";
  }
  selects.forEach(function (select) { select.addEventListener("change", apply); });
  apply();
})();
