// Progressive enhancement for the kiosk: idle sign-out that resets while someone is using the
// screen, and a heartbeat so the server keeps the session alive while they type.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var idleMs = parseInt(script.getAttribute("data-idle"), 10) * 1000;
  var timeoutUrl = script.getAttribute("data-timeout-url");
  var heartbeatUrl = script.getAttribute("data-heartbeat-url");
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var lastBeat = Date.now();
  var timer = null;

  function expire() { window.location.replace(timeoutUrl); }

  function beat() {
    if (Date.now() - lastBeat < 30000 || !window.fetch) { return; }
    lastBeat = Date.now();
    var body = new URLSearchParams();
    body.set("csrf_token", tokenMeta ? tokenMeta.content : "");
    fetch(heartbeatUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { if (r.redirected || !r.ok) { expire(); } })
      .catch(function () {});
  }

  function activity() {
    window.clearTimeout(timer);
    timer = window.setTimeout(expire, idleMs);
    beat();
  }

  ["keydown", "pointerdown", "touchstart", "input", "scroll"].forEach(function (name) {
    window.addEventListener(name, activity, { passive: true });
  });
  // A page restored from the back/forward cache after sign-out must not show old content.
  window.addEventListener("pageshow", function (e) { if (e.persisted) { window.location.reload(); } });
  // After a failed send, take the reader straight to the list of what to fix (it is also role=alert).
  var summary = document.querySelector(".error-summary[tabindex]");
  if (summary) { summary.focus(); }
  activity();
})();
