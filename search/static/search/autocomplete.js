/*
 * Story-name suggestions for the search box: the ARIA 1.2 combobox pattern (list autocomplete).
 * Progressive enhancement: without this script the form is a plain GET form.
 * https://www.w3.org/WAI/ARIA/apg/patterns/combobox/examples/combobox-autocomplete-list/
 */
(function () {
  "use strict";
  // Every search form that asks for suggestions: the search page's and the header's.
  var forms = document.querySelectorAll("form[data-suggest-url]");
  for (var f = 0; f < forms.length; f++) { enhance(forms[f]); }

  function enhance(form) {
  if (!window.fetch) { return; }
  // The visible box (type "search" on the search page; "text" in the header, where the HTML
  // checker refuses role="combobox" on a type="search" once the script has run).
  var input = form.querySelector("input[name=q]:not([type=hidden])");
  var field = input.parentNode;
  var url = form.getAttribute("data-suggest-url");
  var listId = input.id + "-suggestions";
  var list = document.createElement("ul");
  var status = document.createElement("p");
  var items = [];
  var active = -1;
  var timer = null;
  var controller = null;
  var lastQuery = "";

  list.id = listId;
  list.className = "search-suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Lauréats suggérés");
  list.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  field.appendChild(list);
  form.appendChild(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function go(index) {
    if (items[index] && items[index].url) { window.location.assign(items[index].url); }
  }

  function render(suggestions) {
    items = suggestions;
    list.textContent = "";
    suggestions.forEach(function (item, index) {
      var option = document.createElement("li");
      var town = document.createElement("span");
      option.id = listId + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.appendChild(document.createTextNode(item.name + " "));
      town.className = "search-suggestions__town";
      town.textContent = "— " + item.town;
      option.appendChild(town);
      option.addEventListener("mousedown", function (event) { event.preventDefault(); });
      option.addEventListener("click", function () { go(index); });
      list.appendChild(option);
    });
    active = -1;
    if (suggestions.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = suggestions.length === 1 ? "1 lauréat suggéré" : suggestions.length + " lauréats suggérés";
    } else {
      close();
      status.textContent = "";
    }
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (query === lastQuery) { return; }
    lastQuery = query;
    if (query.length < 2) { render([]); return; }
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) { if (input.value.trim() === query) { render(data.suggestions || []); } })
      .catch(function () { /* aborted or offline: the form still works */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (event) {
    var count = items.length;
    if (event.key === "ArrowDown" && count) {
      event.preventDefault();
      if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      highlight((active + 1) % count);
    } else if (event.key === "ArrowUp" && count && !list.hidden) {
      event.preventDefault();
      highlight(active <= 0 ? count - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      go(active);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", function () { window.setTimeout(close, 100); });
  }
})();
