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
  // view.theme.enable(): as in Jira, the product side loads the design tokens'
  // theme CSS into the frame (a same-origin file, so the resource's CSP allows
  // it) and sets the attributes @atlaskit/tokens reads.
  function applyTheme(theme) {
    var root = document.documentElement;
    root.setAttribute(
      'data-theme',
      'dark:dark light:light motion:motion shape:shape spacing:spacing typography:typography',
    );
    root.setAttribute('data-color-mode', theme && theme.colorMode === 'dark' ? 'dark' : 'light');
    if (!document.getElementById('__host-tokens')) {
      var link = document.createElement('link');
      link.id = '__host-tokens';
      link.rel = 'stylesheet';
      link.href = '/__host/tokens.css';
      document.head.appendChild(link);
    }
  }
  function call(type, payload) {
    return new Promise(function (resolve, reject) {
      var id = nextId++;
      pending[id] = { resolve: resolve, reject: reject };
      window.parent.postMessage(
        { __crosswalkBridge: 'request', id: id, frame: frameToken, type: type, payload: payload },
        '*',
      );
    });
  }
  // Jira sizes a Custom UI frame to its content, measured on the body (iframe-resizer), so a frame grows and
  // shrinks with what it shows; an open dialog and an open dropdown's menu count too. The document's own
  // scroll height is never less than the frame's height, so it could never tell the frame to shrink: a frame
  // grown for a dialog would stay that tall after the dialog closed.
  var lastHeight = 0;
  function contentHeight() {
    var body = document.body;
    var style = getComputedStyle(body);
    var h = body.offsetHeight + parseFloat(style.marginTop) + parseFloat(style.marginBottom);
    var dialogs = document.querySelectorAll('[role=dialog]');
    for (var i = 0; i < dialogs.length; i++) h = Math.max(h, dialogs[i].getBoundingClientRect().height + 120);
    var menus = document.querySelectorAll('[role=listbox]');
    for (var j = 0; j < menus.length; j++)
      h = Math.max(h, menus[j].getBoundingClientRect().bottom + window.scrollY + 8);
    return Math.ceil(h);
  }
  function reportSize() {
    var h = contentHeight();
    if (Math.abs(h - lastHeight) < 2) return;
    lastHeight = h;
    call('resize', { height: h }).catch(function () {});
  }
  if (typeof ResizeObserver === 'function') {
    window.addEventListener('DOMContentLoaded', function () {
      new ResizeObserver(reportSize).observe(document.body);
      new MutationObserver(reportSize).observe(document.body, { childList: true, subtree: true });
      reportSize();
    });
  }
  globalThis.__bridge = {
    callBridge: function (type, payload) {
      if (type !== 'enableTheming') return call(type, payload);
      return call(type, payload).then(function (theme) {
        applyTheme(theme);
        return undefined;
      });
    },
  };
})();
