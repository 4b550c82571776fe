// The « Adresse » field of a call's form (territory/forms.py): as the postal code is typed,
// the commune list fills in from /api/communes/. Once a commune is chosen, /api/qpv/carte/
// says « hors QPV » for a commune without QPV, else gives its map (territory/picker.py): the
// applicant places their business by a click, a tap or the arrow keys, which fills the two
// hidden inputs (latitude, longitude) and shows the verdict in words (/api/qpv/?lat=&lon=).
// Without JavaScript the form works the same, without a point: the team then checks it.
(function () {
  "use strict";

  var STEP_M = 50;
  var BIG_STEP_M = 250;
  var METRES_PER_DEGREE = 111320;

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
    if (holder.dataset.addressReady) return;
    holder.dataset.addressReady = "1";
    var postal = holder.querySelector("input[autocomplete='postal-code']");
    var select = holder.querySelector("select");
    var live = holder.querySelector("[data-qpv-live]");
    var latInput = holder.querySelector("[data-qpv-latitude]");
    var lonInput = holder.querySelector("[data-qpv-longitude]");
    var mapBox = holder.querySelector("[data-qpv-map]");
    var frameBox = holder.querySelector("[data-qpv-map-frame]");
    var clear = holder.querySelector("[data-qpv-map-clear]");
    if (!postal || !select || !live) return;
    var lastPostal = null;
    // A required select must start with an empty option: with one commune it is not required.
    var required = select.required || holder.hasAttribute("data-required");
    var frame = null; // the commune's frame: ouest, sud, est, nord, largeur, hauteur
    var mapCommune = null;
    var lookup = 0;

    function say(text) {
      live.textContent = text;
      live.hidden = !text;
    }

    function hasPoint() {
      return latInput && latInput.value !== "" && lonInput.value !== "";
    }

    function toSvg(lat, lon) {
      return {
        x: ((lon - frame.ouest) * frame.largeur) / (frame.est - frame.ouest),
        y: ((frame.nord - lat) * frame.hauteur) / (frame.nord - frame.sud),
      };
    }

    function drawMarker() {
      var marker = frameBox && frameBox.querySelector(".qc-map__marker");
      if (!marker) return;
      if (frame && hasPoint()) {
        var at = toSvg(parseFloat(latInput.value), parseFloat(lonInput.value));
        marker.setAttribute("cx", at.x.toFixed(1));
        marker.setAttribute("cy", at.y.toFixed(1));
      } else {
        marker.setAttribute("cx", "-20");
        marker.setAttribute("cy", "-20");
      }
      if (clear) clear.hidden = !hasPoint();
    }

    function checkPoint() {
      var ticket = ++lookup;
      var url = holder.dataset.qpvUrl + "?lat=" + latInput.value + "&lon=" + lonInput.value;
      getJSON(url, function (status, data) {
        if (ticket !== lookup) return;
        if (status === 200 && data) say(data.texte_candidat);
        else say("Le point est placé ; la vérification se fera à l'envoi.");
      });
    }

    function place(lat, lon) {
      lat = Math.min(frame.nord, Math.max(frame.sud, lat));
      lon = Math.min(frame.est, Math.max(frame.ouest, lon));
      latInput.value = lat.toFixed(6);
      lonInput.value = lon.toFixed(6);
      drawMarker();
      checkPoint();
    }

    function forget() {
      if (latInput) {
        latInput.value = "";
        lonInput.value = "";
      }
      drawMarker();
    }

    function showMap(data) {
      frame = data.carte;
      frameBox.innerHTML = frame.svg;
      mapBox.hidden = false;
      drawMarker();
    }

    function hideMap() {
      frame = null;
      if (mapBox) {
        mapBox.hidden = true;
        frameBox.innerHTML = "";
      }
    }

    function showCommune() {
      var code = select.value;
      if (code === mapCommune) return;
      mapCommune = code;
      if (!code) {
        hideMap();
        forget();
        say("");
        return;
      }
      if (!mapBox || !holder.dataset.mapUrl) return;
      getJSON(holder.dataset.mapUrl + "?commune=" + encodeURIComponent(code), function (status, data) {
        if (code !== select.value) return;
        if (status !== 200 || !data) {
          hideMap();
          say("");
          return;
        }
        if (!data.carte) {
          hideMap();
          forget();
          say(data.texte_candidat);
          return;
        }
        // A point kept from another commune's map is not this commune's.
        if (hasPoint() && !(parseFloat(latInput.value) >= data.carte.sud && parseFloat(latInput.value) <= data.carte.nord && parseFloat(lonInput.value) >= data.carte.ouest && parseFloat(lonInput.value) <= data.carte.est)) {
          forget();
        }
        showMap(data);
        if (hasPoint()) checkPoint();
        else say(data.texte_candidat);
      });
    }

    if (frameBox) {
      frameBox.addEventListener("click", function (event) {
        var svg = frameBox.querySelector("svg");
        if (!svg || !frame) return;
        var box = svg.getBoundingClientRect();
        if (!box.width || !box.height) return;
        var x = ((event.clientX - box.left) * frame.largeur) / box.width;
        var y = ((event.clientY - box.top) * frame.hauteur) / box.height;
        place(
          frame.nord - (y * (frame.nord - frame.sud)) / frame.hauteur,
          frame.ouest + (x * (frame.est - frame.ouest)) / frame.largeur
        );
      });
      frameBox.addEventListener("keydown", function (event) {
        if (!frame) return;
        var moves = { ArrowUp: [1, 0], ArrowDown: [-1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
        var centre = [(frame.nord + frame.sud) / 2, (frame.ouest + frame.est) / 2];
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          if (!hasPoint()) place(centre[0], centre[1]);
          return;
        }
        var move = moves[event.key];
        if (!move) return;
        event.preventDefault();
        var step = event.shiftKey ? BIG_STEP_M : STEP_M;
        var lat = hasPoint() ? parseFloat(latInput.value) : centre[0];
        var lon = hasPoint() ? parseFloat(lonInput.value) : centre[1];
        var cos = Math.cos((lat * Math.PI) / 180);
        if (hasPoint()) {
          lat += (move[0] * step) / METRES_PER_DEGREE;
          lon += (move[1] * step) / (METRES_PER_DEGREE * cos);
        }
        place(lat, lon);
      });
    }
    if (clear) {
      clear.addEventListener("click", function () {
        forget();
        lookup++;
        say(frame ? "Point retiré : placez votre commerce sur la carte." : "");
        frameBox.focus();
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
      select.required = required && communes.length !== 1;
      showCommune();
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
    select.addEventListener("change", showCommune);
    lastPostal = postal.value.replace(/\s+/g, "");
    if (select.value) showCommune();
  }

  document.querySelectorAll("[data-address-field]").forEach(setup);
  // A call's form in steps swaps in the next step (calls/static/calls/call-form.js).
  document.addEventListener("qc:step-loaded", function (event) {
    event.target.querySelectorAll("[data-address-field]").forEach(setup);
  });
})();
