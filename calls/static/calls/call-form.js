// The call's form: move focus to the error summary, let its links focus their field, and
// stop a second click from sending the form twice (the server also ignores a second POST).
// A form in steps: « Suivant » and « Précédent » post the step and swap in the step the server
// answers (the same HTML as without JavaScript), then move the focus to its heading and
// announce it. Every POST of the form goes through XMLHttpRequest, whose upload progress is
// shown (a bar and a percentage, the button saying what happens, a polite announcement every
// quarter) while files are sent; photos (JPEG, PNG) longer than the form's
// data-image-long-side are scaled down first with a canvas (never upscaled, never below
// it; the original is sent when the smaller one is not lighter). Any failure falls back to
// the ordinary submission, which is also how the form works without JavaScript.
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

  function markSending(form, button, label) {
    form.dataset.sending = "1";
    if (button) {
      label = label || button.dataset.submitLabel;
      if (label) button.textContent = label;
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

  // --- Photos scaled down before they are sent -------------------------------------------

  var MIN_LONG_SIDE = 2000;

  function scaledImage(file, longSide) {
    // A smaller JPEG/PNG of ``file`` (same name and type), or ``file`` itself.
    if (!/^image\/(jpeg|png)$/.test(file.type) || !window.createImageBitmap || !window.HTMLCanvasElement) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" })
      .then(function (bitmap) {
        var longest = Math.max(bitmap.width, bitmap.height);
        if (longest <= longSide) {
          if (bitmap.close) bitmap.close();
          return file; // never upscaled
        }
        var scale = longSide / longest;
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(bitmap.width * scale));
        canvas.height = Math.max(1, Math.round(bitmap.height * scale));
        var context = canvas.getContext("2d");
        context.imageSmoothingEnabled = true;
        context.imageSmoothingQuality = "high";
        context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        if (bitmap.close) bitmap.close();
        return new Promise(function (resolve) {
          canvas.toBlob(
            function (blob) {
              if (!blob || blob.size >= file.size) resolve(file);
              else resolve(new File([blob], file.name, { type: file.type, lastModified: file.lastModified }));
            },
            file.type,
            0.86
          );
        });
      })
      .catch(function () {
        return file; // not decodable here: the server checks it as it is
      });
  }

  function withScaledImages(form, data) {
    var longSide = Math.max(MIN_LONG_SIDE, parseInt(form.dataset.imageLongSide, 10) || 0);
    var inputs = Array.prototype.filter.call(form.querySelectorAll("input[type='file']"), function (input) {
      return input.name && !input.disabled && input.files && input.files.length;
    });
    return Promise.all(
      inputs.map(function (input) {
        return Promise.all(
          Array.prototype.map.call(input.files, function (file) {
            return scaledImage(file, longSide);
          })
        ).then(function (files) {
          data.delete(input.name);
          files.forEach(function (file) {
            data.append(input.name, file, file.name);
          });
        });
      })
    ).then(function () {
      return inputs.length > 0;
    });
  }

  // --- Upload progress ---------------------------------------------------------------------

  function progressBox(form) {
    var box = form.querySelector(".qc-upload");
    if (box) return box;
    box = document.createElement("div");
    box.className = "qc-upload";
    var bar = document.createElement("progress");
    bar.className = "qc-upload__bar";
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", form.dataset.textProgressLabel || "");
    var text = document.createElement("p");
    text.className = "qc-upload__text";
    text.setAttribute("aria-hidden", "true"); // the live region says it, once a quarter
    box.appendChild(bar);
    box.appendChild(text);
    var submit = form.querySelector(".qc-submit");
    form.insertBefore(box, submit);
    return box;
  }

  function showProgress(form, button, percent, state) {
    var box = progressBox(form);
    var words = (form.dataset.textProgress || "__N__ %").replace("__N__", String(percent));
    box.querySelector("progress").value = percent;
    box.querySelector(".qc-upload__text").textContent = words;
    if (button) button.textContent = percent < 100 ? words : form.dataset.textSaving || words;
    var quarter = Math.floor(percent / 25);
    if (quarter !== state.quarter) {
      state.quarter = quarter;
      var announce = document.getElementById("qc-step-announce");
      if (announce) announce.textContent = percent < 100 ? words : form.dataset.textSaving || words;
    }
  }

  function send(form, button) {
    var data = new FormData(form);
    if (button && button.name) data.append(button.name, button.value);
    var photos = Array.prototype.some.call(form.querySelectorAll("input[type='file']"), function (input) {
      return Array.prototype.some.call(input.files || [], function (file) {
        return /^image\/(jpeg|png)$/.test(file.type);
      });
    });
    markSending(form, button, (photos && form.dataset.textPreparing) || form.dataset.textSending);
    withScaledImages(form, data)
      .then(function (hasFiles) {
        markSending(form, button, form.dataset.textSending);
        upload(form, button, data, hasFiles);
      })
      .catch(function () {
        fallBack(form, button);
      });
  }

  function upload(form, button, data, hasFiles) {
    var xhr = new XMLHttpRequest();
    var state = { quarter: -1 };
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "text/html");
    if (hasFiles) {
      showProgress(form, button, 0, state);
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable && event.total) {
          showProgress(form, button, Math.min(100, Math.floor((event.loaded * 100) / event.total)), state);
        }
      });
    }
    xhr.addEventListener("load", function () {
      var html = xhr.responseText || "";
      var url = xhr.responseURL || form.action;
      var hasStep = html.indexOf('id="qc-step"') !== -1;
      if (xhr.status >= 200 && xhr.status < 300 && !hasStep) {
        // Sent: the thank-you page (it reads the session, so loading it again is safe).
        window.location.assign(url);
        return;
      }
      // « Enregistrer et reprendre plus tard »: its confirmation, or the address it asks for,
      // sits above the form (calls/includes/draft_notices.html): the whole call is swapped in.
      if (hasStep && html.indexOf('id="qc-brouillon-') !== -1 && swapCall(html, url)) return;
      if (!hasStep || !swapStep(form, button, html, url)) fallBack(form, button);
    });
    xhr.addEventListener("error", function () {
      fallBack(form, button);
    });
    xhr.send(data);
  }

  function swapCall(html, url) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var current = document.querySelector("article.call-page");
    var incoming = next.querySelector("article.call-page");
    if (!current || !incoming) return false;
    var imported = document.importNode(incoming, true);
    current.replaceWith(imported);
    document.title = next.title;
    if (url && window.history && window.history.pushState) window.history.pushState({}, "", url);
    imported.dispatchEvent(new CustomEvent("qc:step-loaded", { bubbles: true }));
    setUp(imported.querySelector("form[data-call-form]"));
    var target = document.getElementById("qc-brouillon-courriel") || document.getElementById("qc-brouillon-enregistre");
    if (target) {
      (target.closest(".qc-draft-email, .qc-draft-saved") || target).scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    }
    return true;
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
    var main = document.querySelector("main");
    var oldMessages = main && main.querySelector(":scope > .messages");
    var newMessages = next.querySelector("main > .messages");
    if (oldMessages) oldMessages.remove();
    if (main && newMessages) main.insertBefore(document.importNode(newMessages, true), main.firstChild);
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

  function setUp(form) {
    if (!form) return;
    form.addEventListener("submit", function (event) {
      if (form.dataset.noFetch === "1") return;
      if (form.dataset.sending === "1") {
        event.preventDefault();
        return;
      }
      var button = event.submitter || form.querySelector("button[type='submit']");
      if (window.XMLHttpRequest && window.FormData && window.DOMParser && window.Promise) {
        event.preventDefault();
        send(form, button);
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
