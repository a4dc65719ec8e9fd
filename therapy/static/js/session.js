// Idle timeout with a warning: typing in a form counts as activity (SECURITY.md promise 3).
// Typing pings the keep-alive endpoint at most once a minute; about two minutes before the
// session would end, a banner offers to stay logged in. When this page's own clock runs out,
// it asks the server first (another tab may have kept the session alive); that question does
// not count as activity. Nothing is saved or sent but the ping.
(function () {
  "use strict";

  const meta = (name) => {
    const element = document.querySelector(`meta[name="${name}"]`);
    return element ? element.getAttribute("content") : null;
  };
  const idleSeconds = Number(meta("session-idle-seconds"));
  // What the server says is left of this login: less than the idle length near the 12-hour limit.
  const servedSeconds = meta("session-seconds-left");
  const firstSeconds = servedSeconds === null ? idleSeconds : Number(servedSeconds);
  const pingUrl = meta("session-keep-alive-url");
  const csrfToken = meta("csrf-token");
  const banner = document.getElementById("session-warning");
  if (!idleSeconds || !pingUrl || !csrfToken || !banner) {
    return;
  }
  const text = document.getElementById("session-warning-text");
  const stay = document.getElementById("session-warning-stay");
  const soonTemplate = document.getElementById("session-warning-soon").innerHTML;
  const endedTemplate = document.getElementById("session-warning-ended").innerHTML;
  const PING_INTERVAL_MS = 60 * 1000;
  const WARN_BEFORE_MS = 2 * 60 * 1000;

  let deadline = Date.now() + firstSeconds * 1000; // this page's own request was activity
  let lastPing = Date.now();
  let ended = false;
  let asking = false; // a status question is on its way
  let askedFor = null; // the deadline the server last confirmed as the end

  function show(message) {
    text.textContent = message;
    banner.hidden = false;
  }

  function showEnded() {
    ended = true;
    stay.hidden = true;
    show(new DOMParser().parseFromString(endedTemplate, "text/html").body.textContent);
  }

  // The keep-alive endpoint's answer: seconds left, or null when the login gate refused.
  function askServer(statusOnly) {
    const headers = { "X-CSRFToken": csrfToken, Accept: "application/json" };
    if (statusOnly) {
      headers["X-Session-Status-Only"] = "1";
    }
    return fetch(pingUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual", // a redirect means the login gate refused: the session is over
      headers: headers,
    }).then((response) => (response.ok ? response.json() : null));
  }

  // This page's clock ran out: end only if the server agrees.
  function confirmEnd() {
    asking = true;
    askServer(true)
      .then((data) => {
        asking = false;
        if (data && data.seconds_left > 0) {
          deadline = Date.now() + data.seconds_left * 1000;
          if (data.seconds_left * 1000 > WARN_BEFORE_MS) {
            banner.hidden = true;
          }
          check();
        } else {
          showEnded();
        }
      })
      .catch(() => {
        // Unreachable: trust this page's clock.
        asking = false;
        askedFor = deadline;
        check();
      });
  }

  function ping() {
    lastPing = Date.now();
    askServer(false)
      .then((data) => {
        if (data === null) {
          showEnded();
          return;
        }
        if (data.seconds_left > 0) {
          deadline = Date.now() + data.seconds_left * 1000;
          banner.hidden = true;
        } else {
          showEnded();
        }
      })
      .catch(() => {
        // Offline for a moment: the next keystroke tries again.
        lastPing = 0;
      });
  }

  function activity() {
    if (!ended && Date.now() - lastPing >= PING_INTERVAL_MS) {
      ping();
    }
  }

  function check() {
    if (ended || asking) {
      return;
    }
    const left = deadline - Date.now();
    if (left <= 0 && askedFor !== deadline) {
      confirmEnd();
    } else if (left <= 0) {
      showEnded();
    } else if (left <= WARN_BEFORE_MS) {
      const minutes = String(Math.max(1, Math.round(left / 60000)));
      const message = new DOMParser().parseFromString(soonTemplate, "text/html").body.textContent;
      stay.hidden = false;
      show(message.replace("{minutes}", minutes));
    }
  }

  document.addEventListener("input", activity, { passive: true });
  document.addEventListener("keydown", activity, { passive: true });
  stay.addEventListener("click", ping);
  window.setInterval(check, 5000);
})();
