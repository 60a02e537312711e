// Runs inside a Custom UI iframe before the app's own script: it is the
// product side of @forge/bridge (globalThis.__bridge.callBridge), forwarding
// each call to the host page by postMessage, as Jira's frame does.
(function () {
  'use strict';
  var frameToken = new URLSearchParams(location.search).get('frame') || '';
  var pending = {};
  var nextId = 1;
  window.addEventListener('message', function (event) {
    var msg = event.data;
    if (!msg || msg.__crosswalkBridge !== 'response' || !pending[msg.id]) return;
    var p = pending[msg.id];
    delete pending[msg.id];
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new Error(msg.error || 'Bridge call failed'));
  });
  globalThis.__bridge = {
    callBridge: function (type, payload) {
      return new Promise(function (resolve, reject) {
        var id = nextId++;
        pending[id] = { resolve: resolve, reject: reject };
        window.parent.postMessage({ __crosswalkBridge: 'request', id: id, frame: frameToken, type: type, payload: payload }, '*');
      });
    },
  };
})();
