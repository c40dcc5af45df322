// The door's service worker: the door page and its files load with no network; signing out
// forgets the roster and the phone's token. Every other request goes to the network untouched.
/* global doorStore */
"use strict";
importScripts("static/door-store.js");

var CACHE = "meetings-door-v1";
var DOOR_PAGE = /\/checkin\/\d+\/door$/;
var NETWORK_WAIT_MS = 4000;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// The page names what it needs offline: itself and its files.
self.addEventListener("message", function (event) {
  if (!event.data || event.data.type !== "cache") { return; }
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(event.data.urls.map(function (url) {
      return fetch(url, {credentials: "same-origin"}).then(function (response) {
        if (response.ok && !response.redirected) { return cache.put(url, response); }
      }).catch(function () {});
    }));
  }).then(function () {
    if (event.source) { event.source.postMessage({type: "cached"}); }
  }));
});

function forget() {
  return Promise.all([
    doorStore.forgetPersonal(),
    caches.open(CACHE).then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.filter(function (r) {
          return DOOR_PAGE.test(new URL(r.url).pathname);
        }).map(function (r) { return cache.delete(r); }));
      });
    })
  ]);
}

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (v) { clearTimeout(timer); resolve(v); },
                 function (e) { clearTimeout(timer); reject(e); });
  });
}

// The door page: the network when it answers within a few seconds, else the copy kept.
function doorPage(request) {
  var key = new URL(request.url).pathname;
  return withTimeout(fetch(request), NETWORK_WAIT_MS).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(key, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(key).then(function (kept) { return kept || Response.error(); });
  });
}

// A kept file at once, refreshed in the background for the next load.
function keptFile(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, {ignoreSearch: true}).then(function (kept) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
      if (kept) { fresh.catch(function () {}); return kept; }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && /\/logout$/.test(url.pathname)) {
    event.waitUntil(forget());
    return;
  }
  if (request.method !== "GET") { return; }
  if (request.mode === "navigate" && DOOR_PAGE.test(url.pathname)) {
    event.respondWith(doorPage(request));
  } else if (/\/static\/|\.webmanifest$/.test(url.pathname)) {
    event.respondWith(caches.match(request, {ignoreSearch: true}).then(function (kept) {
      return kept ? keptFile(request) : fetch(request);
    }));
  }
});
