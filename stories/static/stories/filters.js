/*
 * The story index's filters apply as soon as a value is chosen (progressive enhancement).
 * Without this script the form is a plain GET form with its « Afficher » button. With it, a
 * change fetches the filtered page and swaps in its results, the facet counts and the map,
 * without reloading: focus stays on the list that changed, the address follows (history), and
 * the new number of laureates is announced in a status message. If the fetch fails, the form
 * is submitted as usual.
 */
(function () {
  "use strict";
  var form = document.getElementById("story-filters");
  var results = document.getElementById("story-results");
  if (!form || !results || !window.fetch || !window.DOMParser || !window.history.pushState) { return; }
  var status = document.createElement("p");
  var hint = document.createElement("p");
  var pending = null;

  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  hint.className = "story-filters__hint";
  hint.id = "story-filters-hint";
  hint.textContent = "La liste se met à jour dès que vous choisissez une valeur.";
  form.appendChild(status);
  form.querySelector(".story-filters__title").insertAdjacentElement("afterend", hint);
  form.classList.add("is-live");
  form.querySelectorAll("select").forEach(function (select) {
    select.setAttribute("aria-describedby", hint.id);
  });

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
    results.innerHTML = nextResults.innerHTML;
    var map = document.querySelector(".laureate-map");
    var nextMap = next.querySelector(".laureate-map");
    if (map && nextMap) { map.replaceWith(nextMap); }
    document.title = next.title;
    if (push) { window.history.pushState({ storyFilters: true }, "", url); }
    var count = results.querySelector(".story-results__count");
    var empty = results.querySelector(".story-empty h2");
    status.textContent = ((count && count.textContent) || (empty && empty.textContent) || "").replace(/\s+/g, " ").trim();
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

  form.addEventListener("change", function (event) {
    if (event.target.tagName !== "SELECT") { return; }
    load(urlFor(), true).catch(function (error) {
      if (error && error.name === "AbortError") { return; }
      form.submit();
    });
  });
  window.addEventListener("popstate", function () {
    load(window.location.href, false).catch(function (error) {
      if (!error || error.name !== "AbortError") { window.location.reload(); }
    });
  });
})();
