// Pagefind UI on the search page, in Bulgarian; ?q= from the header form starts a search.
(function () {
  "use strict";
  var element = document.getElementById("portal-search");
  if (!element || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#portal-search",
    bundlePath: element.getAttribute("data-bundle"),
    showSubResults: true,
    showImages: false,
    translations: {
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
    }
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
