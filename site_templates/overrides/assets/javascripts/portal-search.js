// Pagefind UI on the search page, in Bulgarian; ?q= from the header form starts a search.
// Results name their register, body and year; a select sorts them by relevance or by date.
(function () {
  "use strict";
  var element = document.getElementById("portal-search");
  if (!element || typeof PagefindUI === "undefined") return;
  var translations = {
    placeholder: "Търсене: име (и на латиница), орган, година",
    clear_search: "Изчисти",
    load_more: "Още резултати",
    search_label: "Търсене в сайта",
    filters_label: "Филтри",
    zero_results: "Няма резултати за [SEARCH_TERM]",
    many_results: "[COUNT] резултата за [SEARCH_TERM]",
    one_result: "[COUNT] резултат за [SEARCH_TERM]",
    alt_search: "Няма резултати за [SEARCH_TERM]. Показани са резултати за [DIFFERENT_TERM]",
    search_suggestion: "Няма резултати за [SEARCH_TERM]. Опитайте някое от следните търсения:",
    searching: "Търсене на [SEARCH_TERM]..."
  };
  function describe(result) {
    var meta = result.meta || {};
    var filters = result.filters || {};
    var parts = [];
    if (filters["Регистър"] && filters["Регистър"].length) parts.push(filters["Регистър"][0]);
    if (meta["Орган"]) parts.push(meta["Орган"]);
    if (meta["Година"]) parts.push(meta["Година"] + " г.");
    if (parts.length) meta.title = (meta.title || "") + " — " + parts.join(", ");
    // Shown in the title already; as separate tags they would repeat it.
    delete meta["Орган"];
    delete meta["Година"];
    return result;
  }
  var bundle = element.getAttribute("data-bundle");
  var ui = null;
  function start(sort) {
    if (ui) ui.destroy();
    var options = {
      element: "#portal-search",
      bundlePath: bundle,
      showSubResults: true,
      // The UI waits this long after a keystroke before searching (300 ms by default). The index
      // answers a surname in tens of milliseconds, and the UI drops the answer to an older query
      // that comes late, so it searches at once: results show within 100 ms of the last key.
      debounceTimeoutMs: 0,
      showImages: false,
      processResult: describe,
      translations: translations
    };
    if (sort) options.sort = { date: "desc" };
    ui = new PagefindUI(options);
    var input = element.querySelector("input");
    // The UI loads the search engine, the index's metadata and its filters when its box gets
    // focus, and a search that comes before that waits for them in 50 ms steps: load them with
    // the page (a focus event, which does not move the focus). Loading them ourselves beside the
    // UI raced with it: its filters could come up empty.
    if (input) input.dispatchEvent(new Event("focus"));
    var query = input && input.value ? input.value : new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }
  var order = document.getElementById("portal-search-order");
  if (order) order.addEventListener("change", function () { start(order.value === "date"); });
  start(false);
})();
