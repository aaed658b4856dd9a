/* Sortable record tables (Material for MkDocs' tablesort recipe), with the local tablesort copy. */
document$.subscribe(function () {
  document.querySelectorAll("article table[data-sortable]").forEach(function (table) {
    new Tablesort(table);
  });
});
