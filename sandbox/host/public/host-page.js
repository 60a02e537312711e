// The Jira-like page's side of the bridge: it answers calls from our Custom UI
// iframes. Calls that need the server (invoke, getContext, fetchProduct) go to
// /__host/api/bridge; navigation, flags, theming and the administrator's
// egress approval dialog happen here.
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
  function server(frameToken, type, payload) {
    return fetch('/__host/api/bridge', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ frame: frameToken, type: type, payload: payload }),
    }).then(function (res) {
      return res.json();
    });
  }
  var TYPE_WORDS = {
    FETCH_BACKEND_SIDE: 'requests from the app\u2019s back end',
    FETCH_CLIENT_SIDE: 'requests from the app\u2019s pages',
    FONTS: 'fonts',
    FRAMES: 'frames',
    IMAGES: 'images',
    MEDIA: 'media',
    SCRIPTS: 'scripts',
    STYLES: 'styles',
  };
  // Forge shows an administrator what an app asks to reach and lets them allow or deny it (customer-managed egress).
  function egressDialog(appName, egresses) {
    return new Promise(function (resolve) {
      var dialog = document.createElement('dialog');
      dialog.className = 'egress-dialog';
      dialog.setAttribute('aria-labelledby', 'egress-dialog-title');
      var title = document.createElement('h2');
      title.id = 'egress-dialog-title';
      title.textContent = 'Allow ' + appName + ' to connect to another domain?';
      dialog.appendChild(title);
      egresses.forEach(function (g) {
        var why = document.createElement('p');
        why.textContent = g.description;
        dialog.appendChild(why);
        var list = document.createElement('ul');
        g.configured.forEach(function (c) {
          var item = document.createElement('li');
          var name = document.createElement('strong');
          name.textContent = c.domain;
          item.appendChild(name);
          item.appendChild(
            document.createTextNode(
              ': ' +
                c.type
                  .map(function (t) {
                    return TYPE_WORDS[t] || t;
                  })
                  .join(', '),
            ),
          );
          list.appendChild(item);
        });
        dialog.appendChild(list);
      });
      var note = document.createElement('p');
      note.className = 'egress-note';
      note.textContent =
        'Data from this site can be sent there once you allow it. Only a Jira administrator can allow this.';
      dialog.appendChild(note);
      var actions = document.createElement('div');
      actions.className = 'egress-actions';
      var deny = document.createElement('button');
      deny.type = 'button';
      deny.textContent = 'Deny';
      var allow = document.createElement('button');
      allow.type = 'button';
      allow.className = 'primary';
      allow.textContent = 'Allow';
      actions.appendChild(deny);
      actions.appendChild(allow);
      dialog.appendChild(actions);
      var done = function (approved) {
        dialog.close();
        dialog.remove();
        resolve(approved);
      };
      deny.addEventListener('click', function () {
        done(false);
      });
      allow.addEventListener('click', function () {
        done(true);
      });
      dialog.addEventListener('cancel', function (e) {
        e.preventDefault();
        done(false);
      });
      document.body.appendChild(dialog);
      dialog.showModal();
      deny.focus();
    });
  }
  function approveEgress(msg, frame, reply) {
    var appName = frame.getAttribute('data-app') || 'this app';
    server(msg.frame, '__permission__egressSet', { phase: 'review', request: msg.payload })
      .then(function (review) {
        if (!review.ok) return reply(false, undefined, review.error);
        return egressDialog(appName, review.value.egresses).then(function (approved) {
          if (!approved) return reply(false, undefined, 'The administrator did not allow the domain');
          return server(msg.frame, '__permission__egressSet', { phase: 'apply', request: msg.payload }).then(
            function (answer) {
              answer.ok ? reply(true, answer.value) : reply(false, undefined, answer.error);
            },
          );
        });
      })
      .catch(function (err) {
        reply(false, undefined, String(err));
      });
  }
  window.addEventListener('message', function (event) {
    var msg = event.data;
    if (!msg || msg.__crosswalkBridge !== 'request') return;
    var frame = frameFor(event.source);
    if (!frame || frame.dataset.frame !== msg.frame) return;
    var reply = function (ok, value, error) {
      event.source.postMessage({ __crosswalkBridge: 'response', id: msg.id, ok: ok, value: value, error: error }, '*');
    };
    if (msg.type === '__permission__egressSet') return approveEgress(msg, frame, reply);
    var handled = local(msg.type, msg.payload || {}, frame);
    if (handled.handled) return handled.error ? reply(false, undefined, handled.error) : reply(true, handled.value);
    server(msg.frame, msg.type, msg.payload)
      .then(function (answer) {
        answer.ok ? reply(true, answer.value) : reply(false, undefined, answer.error);
      })
      .catch(function (err) {
        reply(false, undefined, String(err));
      });
  });
})();
