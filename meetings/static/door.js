// The door page: scans with the camera (BarcodeDetector, else jsQR) or a keyboard-wedge
// scanner, shows one full-screen result per scan, answers from the roster when offline, and
// sends every scan to the JSON API with this phone's token: the API's nonce makes a resent
// scan harmless, and its `scanned_at` keeps the time of the scan.
/* global doorStore, jsQR */
(function () {
  "use strict";
  var root = document.getElementById("door");
  if (!root) { return; }
  var config = JSON.parse(document.getElementById("door-config").textContent);
  var T = config.text;
  var csrf = document.querySelector("meta[name=csrf-token]").content;
  var $ = function (id) { return document.getElementById(id); };

  var REPEAT_MS = 6000;         // a QR kept in the camera's view is scanned once
  var API_WAIT_MS = 2500;       // then the scan is answered offline and queued
  var SYNC_EVERY_MS = 10000;
  var ROSTER_EVERY_MS = 180000;   // a fresh roster online; an expired one goes offline
  var SHOW_MS = {ok: 2500, already: 4000, refused: 6000, invalid: 6000, unknown: 6000};

  var roster = new Map();       // token hash → entry
  var rosterInfo = null;        // the conference as the roster was fetched
  var online = navigator.onLine;
  var syncing = false;
  var lastSync = localStorage.getItem("door-last-sync-" + config.conference);

  // --- Words ----------------------------------------------------------------------------------

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key] == null ? "" : values[key]; });
  }
  function hm(rfc3339) { return rfc3339 ? rfc3339.substring(11, 16) : ""; }  // the conference's local time
  function byWhom(by, method) { return by || config.methods[method] || T.self; }

  // --- Hashes, nonces, tokens ---------------------------------------------------------------

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function sha256(text) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(hex);
  }
  function nonce() {
    return crypto.randomUUID ? crypto.randomUUID() : hex(crypto.getRandomValues(new Uint8Array(16)));
  }
  function tokenFrom(text) {  // as meetings.checkin.service.token_from_scan
    text = (text || "").trim();
    var match = /\/c\/([^/?#\s]+)/.exec(text);
    return match ? match[1] : text;
  }

  // --- The roster -----------------------------------------------------------------------------

  function useRoster(record) {
    roster = new Map();
    rosterInfo = record ? record.data.conference : null;
    if (record) {
      record.data.entries.forEach(function (entry) { roster.set(entry.h, entry); });
    }
    return doorStore.all("queue").then(function (queue) {  // scans not yet sent still count
      queue.forEach(function (item) {
        var entry = item.conference === config.conference && item.h && roster.get(item.h);
        if (entry && item.local === "ok" && !entry.at) { entry.at = item.local_at; entry.by = T.this_door; }
      });
      renderRosterInfo();
    });
  }

  function expired(record) { return Date.now() > Date.parse(record.expires_at); }

  // Check-in has closed, or this user may no longer keep this door.
  function forgetConference() {
    return Promise.all([doorStore.remove("rosters", config.conference), doorStore.forgetLog(config.conference)])
      .then(function () { return useRoster(null); });
  }

  function loadKeptRoster() {
    return doorStore.get("rosters", config.conference).then(function (record) {
      if (record && (record.user !== config.user || expired(record))) { return forgetConference(); }
      return useRoster(record);
    });
  }

  function fetchRoster() {
    return fetch(config.roster, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
        if (response.status === 403 || response.status === 404) { return forgetConference(); }
        if (response.redirected || !json) {  // signed out: nothing personal stays on the phone
          return doorStore.forgetPersonal().then(function () { return useRoster(null); });
        }
        if (!response.ok) { return null; }
        return response.json().then(function (data) {
          var record = {conference: config.conference, user: config.user, expires_at: data.expires_at, data: data};
          if (expired(record)) { return forgetConference(); }
          return doorStore.put("rosters", record).then(function () { return useRoster(record); });
        });
      })
      .then(function () { setOnline(true); }, function () { setOnline(false); });
  }

  function renderRosterInfo() {
    var line = $("roster-info");
    line.textContent = rosterInfo
      ? fill(T.roster_ready, {count: roster.size, time: hm(rosterInfo.closes_at) + " " + rosterInfo.closes_at.substring(8, 10) + "/" + rosterInfo.closes_at.substring(5, 7)})
      : T.roster_missing;
  }

  // --- The phone's token for the API ------------------------------------------------------------

  function deviceToken() {
    return doorStore.get("device", config.user).then(function (kept) {
      if (kept) { return kept.token; }
      return fetch(config.device, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrf}})
        .then(function (response) {
          if (!response.ok || response.redirected) { throw new NoToken(); }
          return response.json();
        })
        .then(function (body) {
          needToken(false);
          return doorStore.put("device", {user: config.user, token: body.token}).then(function () { return body.token; });
        });
    });
  }

  // Signed out, or the token revoked: the network is there, but scans wait for a sign-in.
  function NoToken() { this.name = "NoToken"; }
  function needToken(value) { $("door-signin").hidden = !value; }

  function post(item, token) {
    var body = {token: item.token, nonce: item.nonce, scanned_at: item.scanned_at, conference_id: item.conference};
    if (item.substitute_name) {
      body.substitute_name = item.substitute_name;
      body.substitute_position = item.substitute_position || null;
    }
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, API_WAIT_MS);
    return fetch(config.api, {
      method: "POST",
      credentials: "omit",
      signal: controller.signal,
      headers: {"Content-Type": "application/json", Authorization: "Bearer " + token},
      body: JSON.stringify(body)
    }).then(function (response) {
      clearTimeout(timer);
      if (response.status >= 500) { throw new Error("server " + response.status); }
      return response.json().then(function (answer) { return {http: response.status, body: answer}; });
    }, function (error) { clearTimeout(timer); throw error; });
  }

  // --- One scan ---------------------------------------------------------------------------------

  var last = {token: null, at: 0};
  var pendingChoice = null;

  // `camera`: the same QR still in view is not a new scan; a scanner's trigger always is.
  function scanned(text, started, camera) {
    var token = tokenFrom(text);
    if (!token || !window.crypto || !crypto.subtle) { return; }
    var now = Date.now();
    if (camera && token === last.token && now - last.at < REPEAT_MS) { return; }
    last = {token: token, at: now};
    sha256(token).then(function (hash) {
      var entry = roster.get(hash);
      var item = {nonce: nonce(), conference: config.conference, token: token, h: hash,
        scanned_at: new Date().toISOString(), started: started};
      if (entry && entry.deputy && !entry.at) {
        choose(entry, item);  // an announced deputy: one tap says who came
      } else {
        send(item, entry);
      }
    });
  }

  function send(item, entry) {
    pendingChoice = null;
    var offline = function () { answerOffline(item, entry); };
    if (!online) { offline(); return; }
    deviceToken().then(function (token) {
      return post(item, token).then(function (result) {
        setOnline(true);
        if (result.http === 401) {
          needToken(true);
          return doorStore.remove("device", config.user).then(offline);
        }
        var answer = fromApi(result, entry);
        show(answer, item);
        if (answer.present && entry) { entry.at = result.body.checked_in_at; entry.by = result.body.by; }
      });
    }).catch(function (error) {
      if (error instanceof NoToken) { needToken(true); } else { setOnline(false); }
      offline();
    });
  }

  function fromApi(result, entry) {
    var body = result.body;
    var person = body.person || {};
    var answer = {
      kind: body.status === "ok" || body.status === "already" ? body.status
        : body.status === "refused" ? "refused" : "invalid",
      present: body.status === "ok" || body.status === "already",
      name: person.name || (entry && entry.name),
      position: person.position || (entry && entry.position),
      unit: person.unit || (entry && entry.unit),
      category: body.category || (entry && entry.category),
      rsvp: body.rsvp || (entry && entry.rsvp),
      absence: body.absence_reason,
      deputy: entry && entry.deputy,
      substitute: body.substitute,
      seat: body.seat || (entry && entry.seat),
      at: body.checked_in_at,
      by: body.by,
      method: body.method,
      reason: body.reason,
      message: body.message
    };
    if (result.http === 400) { answer.kind = "invalid"; answer.reason = "bad_request"; }
    return answer;
  }

  // The roster answers at once; the scan waits in IndexedDB with its nonce and time.
  function answerOffline(item, entry) {
    var answer = {offline: true, name: entry && entry.name, position: entry && entry.position,
      unit: entry && entry.unit, category: entry && entry.category, rsvp: entry && entry.rsvp,
      deputy: entry && entry.deputy, seat: entry && entry.seat, substitute: item.substitute_name};
    var conference = rosterInfo;
    var now = Date.now();
    var queue = true;
    if (!entry) {
      answer.kind = "unknown";
    } else if (conference.state === "cancelled") {
      answer.kind = "refused"; answer.reason = "cancelled"; answer.message = conference.cancel_reason; queue = false;
    } else if (now < Date.parse(conference.opens_at)) {
      answer.kind = "refused"; answer.reason = "not_open"; queue = false;
    } else if (now > Date.parse(conference.closes_at)) {
      answer.kind = "refused"; answer.reason = "closed"; queue = false;
    } else if (entry.at) {
      answer.kind = "already"; answer.at = entry.at; answer.by = entry.by; answer.method = entry.method; queue = false;
    } else {
      answer.kind = "ok";
      entry.at = localTime(new Date()); entry.by = T.this_door; entry.method = null;
      item.local_at = entry.at;
    }
    answer.queued = queue;
    show(answer, item);
    if (queue) {
      item.local = answer.kind;
      delete item.started;
      doorStore.put("queue", item).then(renderBanner);
    }
  }

  function localTime(date) {  // RFC 3339 in the phone's zone, enough for HH:MM
    var offset = -date.getTimezoneOffset();
    var local = new Date(date.getTime() + offset * 60000).toISOString().substring(0, 19);
    var sign = offset >= 0 ? "+" : "-";
    var abs = Math.abs(offset);
    return local + sign + ("0" + Math.floor(abs / 60)).slice(-2) + ":" + ("0" + abs % 60).slice(-2);
  }

  // --- Showing a result -------------------------------------------------------------------------

  var COLOURS = {ok: "success", already: "warning", refused: "danger", invalid: "danger", unknown: "danger", choice: "primary"};
  var hideTimer = null;

  function headline(answer) {
    if (answer.kind === "ok") { return T.ok; }
    if (answer.kind === "already") { return fill(T.already, {time: hm(answer.at), by: byWhom(answer.by, answer.method)}); }
    if (answer.kind === "unknown") { return T.offline_unknown; }
    if (answer.kind === "invalid") { return answer.reason === "bad_request" ? T.bad_request : T.invalid; }
    return T.refused + ": " + reasonText(answer.reason, answer.message);
  }

  function reasonText(reason, message) {
    var text = T[reason] || config.reasons[reason] || reason || "";
    return message ? text + ": " + message : text;
  }

  function setText(id, value) {
    var node = $(id);
    node.textContent = value || "";
    node.hidden = !value;
  }

  function row(id, label, value) {
    var node = $(id);
    node.hidden = !value;
    node.querySelector("dt").textContent = label;
    node.querySelector("dd").textContent = value || "";
  }

  function paint(answer, kind) {
    var box = $("door-result");
    box.className = "door-result bg-" + COLOURS[kind] + (kind === "already" ? " text-dark" : " text-white");
    box.dataset.kind = kind;
    box.dataset.offline = answer.offline ? "yes" : "no";
    setText("result-status", kind === "choice" ? T.who_came : headline(answer));
    setText("result-offline", answer.offline && kind !== "choice" ? (answer.queued ? T.offline_note : T.offline) : "");
    setText("result-name", answer.name);
    setText("result-position", answer.position);
    setText("result-unit", answer.unit);
    row("result-category", T.category, answer.category);
    row("result-rsvp", T.reply, answer.rsvp ? config.rsvp[answer.rsvp] : "");
    row("result-absence", T.absence, answer.absence);
    row("result-deputy", T.deputy_announced, deputyText(answer.deputy));
    row("result-substitute", T.substitute, answer.substitute);
    row("result-seat", T.seat, answer.seat);
    $("result-choice").hidden = kind !== "choice";
    box.hidden = false;
  }

  function deputyText(deputy) {
    return deputy ? deputy.name + (deputy.position ? ", " + deputy.position : "") : "";
  }

  function show(answer, item) {
    paint(answer, answer.kind);
    var box = $("door-result");
    if (item && item.started != null) { box.dataset.answerMs = String(Math.round(performance.now() - item.started)); }
    box.dataset.shown = String(Number(box.dataset.shown || 0) + 1);  // results so far
    feedback(answer.kind);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, SHOW_MS[answer.kind] || 4000);
  }

  function choose(entry, item) {
    pendingChoice = {entry: entry, item: item};
    clearTimeout(hideTimer);
    paint({name: entry.name, position: entry.position, unit: entry.unit, category: entry.category,
      rsvp: entry.rsvp, deputy: entry.deputy, seat: entry.seat}, "choice");
    $("choose-deputy").textContent = T.substitute + ": " + deputyText(entry.deputy);
    feedback("choice");
  }

  function hide() { $("door-result").hidden = true; }

  $("door-result").addEventListener("click", function (event) {
    if (!event.target.closest("button")) { hide(); pendingChoice = null; }
  });
  $("choose-invitee").addEventListener("click", function () {
    if (pendingChoice) { send(pendingChoice.item, pendingChoice.entry); }
  });
  $("choose-deputy").addEventListener("click", function () {
    if (!pendingChoice) { return; }
    var deputy = pendingChoice.entry.deputy;
    pendingChoice.item.substitute_name = deputy.name;
    pendingChoice.item.substitute_position = deputy.position;
    send(pendingChoice.item, pendingChoice.entry);
  });

  // --- Sound and vibration ----------------------------------------------------------------------

  var audio = null;
  function unlockAudio() {
    if (!audio && window.AudioContext) { audio = new AudioContext(); }
    if (audio && audio.state === "suspended") { audio.resume(); }
  }
  document.addEventListener("pointerdown", unlockAudio);
  document.addEventListener("keydown", unlockAudio);

  var TONES = {ok: [[880, 0.12]], already: [[660, 0.12], [660, 0.12]], choice: [[520, 0.1]],
    refused: [[220, 0.45]], invalid: [[220, 0.45]], unknown: [[220, 0.45]]};
  var BUZZ = {ok: [80], already: [80, 80, 80], choice: [40], refused: [400], invalid: [400], unknown: [400]};

  function feedback(kind) {
    if (navigator.vibrate) { navigator.vibrate(BUZZ[kind]); }
    if (!audio || audio.state !== "running") { return; }
    var at = audio.currentTime;
    TONES[kind].forEach(function (tone) {
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.frequency.value = tone[0];
      gain.gain.value = 0.25;
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + tone[1]);
      at += tone[1] + 0.08;
    });
  }

  // --- The camera -------------------------------------------------------------------------------

  var video = $("door-video");

  function makeDecoder() {
    var native = "BarcodeDetector" in window
      ? BarcodeDetector.getSupportedFormats().catch(function () { return []; })
      : Promise.resolve([]);
    return native.then(function (formats) {
      if (formats.indexOf("qr_code") >= 0) {
        var detector = new BarcodeDetector({formats: ["qr_code"]});
        root.dataset.decoder = "BarcodeDetector";
        return function () {
          return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
        };
      }
      var canvas = document.createElement("canvas");
      var context = canvas.getContext("2d", {willReadFrequently: true});
      root.dataset.decoder = "jsQR";
      return function () {
        var scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var code = jsQR(image.data, image.width, image.height, {inversionAttempts: "dontInvert"});
        return Promise.resolve(code ? code.data : null);
      };
    });
  }

  function startCamera() {
    var status = $("camera-status");
    if (!window.isSecureContext || !navigator.mediaDevices) { status.textContent = T.camera_needs_https; return; }
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment", width: {ideal: 1280}, height: {ideal: 720}}, audio: false})
      .then(function (stream) {
        video.srcObject = stream;
        return video.play();
      })
      .then(makeDecoder)
      .then(function (decode) {
        status.textContent = "";
        $("camera-start").hidden = true;
        root.dataset.camera = "on";
        var tick = function () {
          var ready = video.readyState >= 2 && video.videoWidth && !document.hidden;
          var started = performance.now();
          (ready ? decode() : Promise.resolve(null)).then(function (text) {
            if (text) { scanned(text, started, true); }
          }, function () {}).then(function () { setTimeout(tick, 40); });
        };
        tick();
      })
      .catch(function (error) {
        status.textContent = fill(T.camera_off, {error: error.name || error});
        $("camera-start").hidden = false;
      });
  }
  $("camera-start").addEventListener("click", startCamera);

  // --- Keyboard-wedge scanners: fast keys ending with Enter, anywhere outside a form field ----

  var typed = "";
  var lastKey = 0;
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) { return; }
    var now = performance.now();
    if (now - lastKey > 150) { typed = ""; }
    lastKey = now;
    if (event.key === "Enter") {
      if (typed.length >= 8) { event.preventDefault(); scanned(typed, now, false); }
      typed = "";
    } else if (event.key.length === 1) {
      typed += event.key;
    }
  });

  // --- Sending the queue ------------------------------------------------------------------------

  function sync() {
    if (syncing || !navigator.onLine) { return Promise.resolve(); }
    syncing = true;
    return doorStore.all("queue").then(function (queue) {
      if (!queue.length) { return null; }
      queue.sort(function (a, b) { return a.scanned_at < b.scanned_at ? -1 : 1; });
      return deviceToken().then(function (token) {
        return queue.reduce(function (previous, item) {
          return previous.then(function () { return sendQueued(item, token); });
        }, Promise.resolve());
      });
    }).then(function (done) {
      setOnline(true);
      if (done !== null) {
        lastSync = new Date().toISOString();
        localStorage.setItem("door-last-sync-" + config.conference, lastSync);
      }
    }, function (error) {
      if (error instanceof NoToken) { needToken(true); } else { setOnline(false); }
    })
      .then(function () { syncing = false; renderBanner(); renderLog(); });
  }

  function sendQueued(item, token) {
    return post(item, token).then(function (result) {
      if (result.http === 401) {
        return doorStore.remove("device", config.user).then(function () { throw new NoToken(); });
      }
      var entry = item.conference === config.conference && item.h ? roster.get(item.h) : null;
      var answer = fromApi(result, entry);
      if (answer.present && entry) { entry.at = answer.at; entry.by = answer.by; }
      var logged = {
        nonce: item.nonce, conference: item.conference, scanned_at: item.scanned_at, synced_at: new Date().toISOString(),
        local: item.local, kind: answer.kind, name: answer.name || "", unit: answer.unit || "",
        at: answer.at || null, by: answer.by || null, method: answer.method || null,
        reason: answer.reason || null, message: answer.message || null,
        conflict: !answer.present
      };
      return doorStore.put("log", logged).then(function () { return doorStore.remove("queue", item.nonce); });
    });
  }

  function renderLog() {
    return doorStore.all("log").then(function (log) {
      log.sort(function (a, b) { return a.scanned_at < b.scanned_at ? 1 : -1; });
      var conflicts = log.filter(function (e) { return e.conflict && !e.dismissed; });
      var list = $("conflict-list");
      list.replaceChildren.apply(list, conflicts.map(function (e) {
        var li = document.createElement("li");
        li.className = "list-group-item list-group-item-danger";
        li.dataset.nonce = e.nonce;
        li.textContent = (e.name || "?") + " — " + reasonText(e.reason, e.message) + " · " +
          fill(T.conflict_scanned, {time: hm(localTime(new Date(e.scanned_at)))});
        return li;
      }));
      $("conflicts").hidden = !conflicts.length;
      var synced = $("synced-list");
      synced.replaceChildren.apply(synced, log.filter(function (e) { return !e.conflict; }).slice(0, 10).map(function (e) {
        var li = document.createElement("li");
        var later = e.kind === "already";
        li.className = "list-group-item" + (later ? " list-group-item-warning" : "");
        li.dataset.kind = e.kind;
        li.textContent = e.name + " — " +
          (later ? fill(T.already, {time: hm(e.at), by: byWhom(e.by, e.method)}) : T.ok + " " + hm(e.at));
        return li;
      }));
      $("synced").hidden = !synced.children.length;
    });
  }

  $("conflicts-clear").addEventListener("click", function () {
    doorStore.all("log").then(function (log) {
      return Promise.all(log.filter(function (e) { return e.conflict; }).map(function (e) {
        e.dismissed = true;
        return doorStore.put("log", e);
      }));
    }).then(renderLog);
  });

  // --- The banner -------------------------------------------------------------------------------

  function setOnline(value) {
    var changed = online !== value;
    online = value;
    renderBanner();
    if (changed && value) { sync(); }
  }

  function renderBanner() {
    return doorStore.count("queue").then(function (waiting) {
      var banner = $("door-banner");
      banner.className = "door-banner " + (online ? "bg-success" : "bg-secondary") + " text-white";
      banner.dataset.online = online ? "yes" : "no";
      $("net-state").textContent = online ? T.online : T.offline;
      $("queue-count").textContent = fill(T.waiting, {count: waiting});
      $("queue-count").dataset.count = String(waiting);
      $("last-sync").textContent = fill(T.last_sync, {time: lastSync ? new Date(lastSync).toLocaleTimeString("vi-VN") : T.never});
    });
  }

  window.addEventListener("online", function () { setOnline(true); fetchRoster(); });
  window.addEventListener("offline", function () { setOnline(false); });

  // --- Forgetting this phone ------------------------------------------------------------------

  $("door-forget").addEventListener("click", function () {
    doorStore.get("device", config.user).then(function (kept) {
      var revoke = kept ? fetch(config.forget, {method: "POST", credentials: "same-origin",
        headers: {"X-CSRFToken": csrf, "Content-Type": "application/json"},
        body: JSON.stringify({token: kept.token})}).catch(function () {}) : Promise.resolve();
      return revoke.then(doorStore.forgetPersonal);
    }).then(function () { return useRoster(null); }).then(renderBanner);
  });

  // --- Start ------------------------------------------------------------------------------------

  function installWorker() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register(config.worker, {scope: "/"}).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var files = [location.pathname].concat(config.cache);
      document.querySelectorAll("link[rel=stylesheet], script[src], link[rel=manifest], link[rel=icon]").forEach(function (node) {
        files.push(new URL(node.href || node.src, location.href).pathname);
      });
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "cached") { root.dataset.offlineReady = "yes"; }
      });
      registration.active.postMessage({type: "cache", urls: files});
    }).catch(function () {});
  }

  loadKeptRoster()
    .then(function () { return online ? fetchRoster() : null; })
    .then(function () { renderBanner(); renderLog(); root.dataset.ready = "yes"; if (online) { sync(); } });
  installWorker();
  startCamera();
  setInterval(sync, SYNC_EVERY_MS);
  setInterval(function () {
    if (online) { fetchRoster(); } else { loadKeptRoster(); }  // and an expired roster goes
  }, ROSTER_EVERY_MS);
})();
