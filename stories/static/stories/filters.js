/*
 * The laureates' filters (stories/includes/filters.html, on the story index and the search page)
 * apply as soon as a value is chosen (progressive enhancement). Without this script the form is
 * a plain GET form with its « Afficher » button. With it, a change (or « Afficher ») fetches the
 * filtered page and swaps in its results, the facet counts, the count of active filters and
 * the map, without reloading: focus stays on the list that changed, the address follows
 * (history), and the new number of results is announced in a status message. If the fetch
 * fails, the form is submitted as usual. The hint saying so is in the page (hidden without
 * JavaScript by no-js.css), so nothing moves when this script arrives.
 */
(function () {
  "use strict";
  var form = document.getElementById("story-filters");
  var results = document.getElementById("story-results");
  if (!form || !results || !window.fetch || !window.DOMParser || !window.history.pushState) { return; }
  var status = document.createElement("p");
  var pending = null;

  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.appendChild(status);

  function urlFor() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { if (value) { params.append(name, value); } });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  function swap(html, url, push) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var nextForm = next.getElementById("story-filters");
    var nextResults = next.getElementById("story-results");
    if (!nextForm || !nextResults) { throw new Error("unexpected page"); }
    form.querySelectorAll("select").forEach(function (select) {
      var other = nextForm.querySelector("select[name='" + select.name + "']");
      if (other) { select.innerHTML = other.innerHTML; select.value = other.value; }
    });
    var actions = form.querySelector(".story-filters__actions");
    var nextActions = nextForm.querySelector(".story-filters__actions");
    if (actions && nextActions) { actions.innerHTML = nextActions.innerHTML; }
    var count = document.querySelector(".filters-toggle__count");
    var nextCount = next.querySelector(".filters-toggle__count");
    if (count && nextCount) { count.textContent = nextCount.textContent; }
    var query = form.querySelector("input[name='q']");
    var nextQuery = nextForm.querySelector("input[name='q']");
    if (query && nextQuery) { query.value = nextQuery.value; }
    results.innerHTML = nextResults.innerHTML;
    var map = document.querySelector(".laureate-map");
    var nextMap = next.querySelector(".laureate-map");
    if (map && nextMap) { map.replaceWith(nextMap); }
    document.title = next.title;
    if (push) { window.history.pushState({ storyFilters: true }, "", url); }
    var total = results.querySelector(".results-count");
    var empty = results.querySelector(".empty-state h2");
    status.textContent = ((total && total.textContent) || (empty && empty.textContent) || "").replace(/\s+/g, " ").trim();
  }

  function load(url, push) {
    if (pending) { pending.abort(); }
    pending = window.AbortController ? new AbortController() : null;
    results.setAttribute("aria-busy", "true");
    return fetch(url, { headers: { Accept: "text/html" }, signal: pending ? pending.signal : undefined })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) { swap(html, url, push); })
      .finally(function () { results.removeAttribute("aria-busy"); });
  }

  function apply() {
    load(urlFor(), true).catch(function (error) {
      if (error && error.name === "AbortError") { return; }
      form.submit();
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT") { apply(); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply();
  });
  // A région of the map (or of its table): the list is updated in place and the visitor is taken
  // to it, not to the top of the page; without this script the link's fragment does the same.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".laureate-map a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    var url = new URL(link.href, window.location.href);
    var region = form.querySelector("select[name='region']");
    if (!region || url.pathname !== new URL(form.action, window.location.href).pathname) { return; }
    event.preventDefault();
    load(url.pathname + url.search + url.hash, true).then(function () {
      results.scrollIntoView({ block: "start" });
      results.focus({ preventScroll: true });
    }).catch(function (error) {
      if (!error || error.name !== "AbortError") { window.location.href = link.href; }
    });
  });
  window.addEventListener("popstate", function () {
    load(window.location.href, false).catch(function (error) {
      if (!error || error.name !== "AbortError") { window.location.reload(); }
    });
  });
})();
