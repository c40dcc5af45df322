// The door phone's storage in IndexedDB, shared by the door page and its service worker.
// rosters: per conference, what the door needs to answer offline (token hashes, names);
// queue: scans waiting to be sent; log: what the server answered to them; device: the
// phone's API token per staff member.
(function (scope) {
  "use strict";
  var NAME = "meetings-door";
  var STORES = {rosters: "conference", queue: "nonce", log: "nonce", device: "user"};
  var opened = null;

  function open() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = indexedDB.open(NAME, 1);
        request.onupgradeneeded = function () {
          Object.keys(STORES).forEach(function (store) {
            if (!request.result.objectStoreNames.contains(store)) {
              request.result.createObjectStore(store, {keyPath: STORES[store]});
            }
          });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opened;
  }

  // One transaction on one store; `work` returns the request whose result is wanted.
  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(store, mode);
        var request = work(transaction.objectStore(store));
        transaction.oncomplete = function () { resolve(request ? request.result : undefined); };
        transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  scope.doorStore = {
    get: function (store, key) { return run(store, "readonly", function (s) { return s.get(key); }); },
    all: function (store) { return run(store, "readonly", function (s) { return s.getAll(); }); },
    count: function (store) { return run(store, "readonly", function (s) { return s.count(); }); },
    put: function (store, value) { return run(store, "readwrite", function (s) { return s.put(value); }); },
    remove: function (store, key) { return run(store, "readwrite", function (s) { return s.delete(key); }); },
    clear: function (store) { return run(store, "readwrite", function (s) { return s.clear(); }); },
    // What the server answered to sent scans, but for refusals nobody has dealt with yet
    // (they stay listed: nothing is dropped silently); of one conference, or of all.
    forgetLog: function (conference) {
      return scope.doorStore.all("log").then(function (log) {
        return Promise.all(log.filter(function (entry) {
          return (conference == null || entry.conference === conference) && !(entry.conflict && !entry.dismissed);
        }).map(function (entry) { return scope.doorStore.remove("log", entry.nonce); }));
      });
    },
    // Signing out: the personal data and the token go; waiting scans stay (tokens and times
    // only) and are sent by the next staff member who opens the door page.
    forgetPersonal: function () {
      return Promise.all([
        scope.doorStore.clear("rosters"), scope.doorStore.clear("device"), scope.doorStore.forgetLog()
      ]);
    }
  };
})(self);
