// The « Adresse » field of a call's form (territory/forms.py): as the postal code is typed,
// the commune list fills in from /api/communes/; once a commune is chosen, its QPV show
// below (/api/qpv/?commune=…). Without JavaScript the server does both on submission.
(function () {
  "use strict";

  function getJSON(url, done) {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      var data = null;
      try {
        data = JSON.parse(request.responseText);
      } catch (error) {
        data = null;
      }
      done(request.status, data);
    };
    request.onerror = function () {
      done(0, null);
    };
    request.send();
  }

  function setup(holder) {
    var inputs = holder.querySelectorAll("input, select");
    var postal = inputs[1];
    var select = holder.querySelector("select");
    var live = holder.querySelector("[data-qpv-live]");
    if (!postal || !select || !live) return;
    var lastPostal = null;

    function showQpv() {
      var code = select.value;
      if (!code) {
        live.hidden = true;
        live.textContent = "";
        return;
      }
      getJSON(holder.dataset.qpvUrl + "?commune=" + encodeURIComponent(code), function (status, data) {
        if (status !== 200 || !data) {
          live.hidden = true;
          return;
        }
        live.textContent = "QPV : " + data.texte + ". La vérification précise se fait à l'adresse, à l'envoi.";
        live.hidden = false;
      });
    }

    function fillCommunes(communes) {
      var previous = select.value;
      while (select.options.length) select.remove(0);
      if (communes.length !== 1) {
        var placeholder = communes.length ? "Choisir la commune" : "Indiquez d'abord le code postal";
        select.add(new Option(placeholder, ""));
      }
      communes.forEach(function (commune) {
        select.add(new Option(commune.nom, commune.code, false, commune.code === previous));
      });
      showQpv();
    }

    function onPostal() {
      var value = postal.value.replace(/\s+/g, "");
      if (value === lastPostal) return;
      lastPostal = value;
      if (!/^[0-9]{5}$/.test(value)) {
        fillCommunes([]);
        return;
      }
      getJSON(holder.dataset.communesUrl + "?code_postal=" + value, function (status, data) {
        if (status === 200 && data && value === lastPostal) fillCommunes(data.communes || []);
      });
    }

    postal.addEventListener("input", onPostal);
    select.addEventListener("change", showQpv);
    lastPostal = postal.value.replace(/\s+/g, "");
    if (select.value) showQpv();
  }

  document.querySelectorAll("[data-address-field]").forEach(setup);
  // A call's form in steps swaps in the next step (calls/static/calls/call-form.js).
  document.addEventListener("qc:step-loaded", function (event) {
    event.target.querySelectorAll("[data-address-field]").forEach(setup);
  });
})();
