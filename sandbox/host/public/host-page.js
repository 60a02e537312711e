// The Jira-like page's side of the bridge: it answers calls from our Custom UI
// iframes. Calls that need the server (invoke, getContext, fetchProduct) go to
// /__host/api/bridge; navigation, flags and theming happen here.
(function () {
  'use strict';
  function flag(payload) {
    var area = document.getElementById('flags');
    if (!area) return;
    var el = document.createElement('div');
    el.className = 'flag flag-' + (payload.type || 'info');
    el.setAttribute('role', 'status');
    el.dataset.flagId = payload.id;
    var title = document.createElement('strong');
    title.textContent = payload.title || '';
    var body = document.createElement('div');
    body.textContent = payload.description || '';
    el.appendChild(title);
    el.appendChild(body);
    area.appendChild(el);
    if (payload.isAutoDismiss !== false)
      setTimeout(function () {
        el.remove();
      }, 8000);
  }
  function frameFor(source) {
    var frames = document.querySelectorAll('iframe[data-frame]');
    for (var i = 0; i < frames.length; i++) if (frames[i].contentWindow === source) return frames[i];
    return null;
  }
  // A remote item's real URL (https://acme.service-now.com/…) opens on the simulator that plays its host, which serves its web view at the same path.
  function remoteView(url) {
    var views = [];
    try {
      views = JSON.parse(document.body.getAttribute('data-remote-views') || '[]');
    } catch (e) {
      views = [];
    }
    var u;
    try {
      u = new URL(url, location.href);
    } catch (e) {
      return url;
    }
    for (var i = 0; i < views.length; i++) {
      var h = views[i].host;
      var match =
        h.indexOf('*.') === 0
          ? u.hostname.slice(-(h.length - 1)) === h.slice(1) && u.hostname.length > h.length - 1
          : u.hostname === h;
      if (match) return views[i].target.replace(/\/+$/, '') + u.pathname + u.search;
    }
    return url;
  }
  function local(type, payload, frame) {
    switch (type) {
      case 'showFlag':
        flag(payload);
        return { handled: true, value: undefined };
      case 'closeFlag': {
        var el = document.querySelector('[data-flag-id="' + CSS.escape(String(payload.id)) + '"]');
        if (el) el.remove();
        return { handled: true, value: undefined };
      }
      case 'reload':
        location.reload();
        return { handled: true, value: undefined };
      case 'navigate':
      case 'open': {
        var url =
          payload.url ||
          (payload.target === 'issue'
            ? '/browse/' + encodeURIComponent(payload.issueKey)
            : payload.target === 'projectSettingsDetails'
              ? '/projects/' + encodeURIComponent(payload.projectKey) + '/settings/crosswalk'
              : null);
        if (!url) return { handled: true, error: 'Unsupported navigation target ' + payload.target };
        url = remoteView(url);
        if (payload.type === 'new-tab' || type === 'open') window.open(url, '_blank', 'noopener');
        else location.href = url;
        return { handled: true, value: undefined };
      }
      case 'resize':
        if (frame && payload && payload.height) frame.style.height = String(payload.height) + 'px';
        return { handled: true, value: undefined };
      case 'enableTheming':
        return {
          handled: true,
          value: { colorMode: document.documentElement.getAttribute('data-cw-theme') === 'dark' ? 'dark' : 'light' },
        };
      case 'emitReadyEvent':
      case 'changeWindowTitle':
        return { handled: true, value: undefined };
      default:
        return { handled: false };
    }
  }
  window.addEventListener('message', function (event) {
    var msg = event.data;
    if (!msg || msg.__crosswalkBridge !== 'request') return;
    var frame = frameFor(event.source);
    if (!frame || frame.dataset.frame !== msg.frame) return;
    var reply = function (ok, value, error) {
      event.source.postMessage({ __crosswalkBridge: 'response', id: msg.id, ok: ok, value: value, error: error }, '*');
    };
    var handled = local(msg.type, msg.payload || {}, frame);
    if (handled.handled) return handled.error ? reply(false, undefined, handled.error) : reply(true, handled.value);
    fetch('/__host/api/bridge', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ frame: msg.frame, type: msg.type, payload: msg.payload }),
    })
      .then(function (res) {
        return res.json();
      })
      .then(function (answer) {
        answer.ok ? reply(true, answer.value) : reply(false, undefined, answer.error);
      })
      .catch(function (err) {
        reply(false, undefined, String(err));
      });
  });
})();
