// The call's form: move focus to the error summary, let its links focus their field, and
// stop a second click from sending the form twice (the server also ignores a second POST).
// A form in steps: « Suivant » and « Précédent » post the step with fetch and swap in the
// step the server answers (the same HTML as without JavaScript), then move the focus to
// its heading and announce it. Any failure falls back to the ordinary submission.
(function () {
  "use strict";

  function focusSummary(summary) {
    summary.focus();
  }

  document.addEventListener("click", function (event) {
    var summary = event.target.closest("#qc-error-summary");
    if (!summary) return;
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) return;
    event.preventDefault();
    var holder = input.closest(".qc-field") || input;
    holder.scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
  });

  var summary = document.getElementById("qc-error-summary");
  if (summary) focusSummary(summary);

  function markSending(form, button) {
    form.dataset.sending = "1";
    if (button) {
      if (button.dataset.submitLabel) button.textContent = button.dataset.submitLabel;
      button.setAttribute("aria-disabled", "true");
    }
  }

  function fallBack(form, button) {
    // The ordinary POST: the server renders the next step (or the errors) as a page.
    form.dataset.noFetch = "1";
    form.dataset.sending = "";
    if (form.requestSubmit) form.requestSubmit(button);
    else form.submit();
  }

  function swapStep(form, button, html, url) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var container = document.getElementById("qc-step");
    var incoming = next.getElementById("qc-step");
    if (!container || !incoming) return false;
    var oldSummary = document.getElementById("qc-error-summary");
    if (oldSummary) oldSummary.remove();
    var newSummary = next.getElementById("qc-error-summary");
    var imported = document.importNode(incoming, true);
    container.replaceWith(imported);
    if (newSummary) {
      var article = document.querySelector(".call-page");
      article.insertBefore(document.importNode(newSummary, true), article.firstChild);
    }
    document.title = next.title;
    if (url && window.history && window.history.pushState) window.history.pushState({}, "", url);
    imported.dispatchEvent(new CustomEvent("qc:step-loaded", { bubbles: true }));
    setUp(imported.querySelector("form[data-call-form]"));
    var shownSummary = document.getElementById("qc-error-summary");
    var heading = document.getElementById("qc-step-title");
    var announce = document.getElementById("qc-step-announce");
    if (shownSummary) {
      shownSummary.scrollIntoView({ block: "start" });
      focusSummary(shownSummary);
    } else if (heading) {
      heading.scrollIntoView({ block: "start" });
      heading.focus({ preventScroll: true });
      if (announce) announce.textContent = heading.textContent;
    }
    return true;
  }

  function postStep(form, button) {
    var data = new FormData(form);
    data.append(button.name, button.value);
    markSending(form, button);
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text().then(function (html) {
          if (!swapStep(form, button, html, response.url)) throw new Error("no step in the answer");
        });
      })
      .catch(function () {
        fallBack(form, button);
      });
  }

  function setUp(form) {
    if (!form) return;
    form.addEventListener("submit", function (event) {
      if (form.dataset.noFetch === "1") return;
      if (form.dataset.sending === "1") {
        event.preventDefault();
        return;
      }
      var button = event.submitter || form.querySelector("button[type='submit']");
      if (button && button.hasAttribute("data-step-button") && window.fetch && window.DOMParser) {
        event.preventDefault();
        postStep(form, button);
        return;
      }
      markSending(form, button);
    });
  }

  document.querySelectorAll("form[data-call-form]").forEach(setUp);
  window.addEventListener("popstate", function () {
    // Back to another step's URL: the server renders it (from the draft).
    if (document.getElementById("qc-step-title")) window.location.reload();
  });
})();
