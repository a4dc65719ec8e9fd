// The screen lock and the end of a login (SECURITY.md promise 3). Typing in a form counts as
// activity: it pings the keep-alive endpoint at most once a minute. After 15 minutes without
// activity anywhere in this login the server locks it; this page then covers itself with the
// lock screen, keeping the page, its forms and what was typed in place underneath, out of
// sight, until the password is given (in place: nothing is reloaded). Every tab of the login
// follows: the lock is kept on the server (each tab asks now and then) and announced to the
// other tabs at once (BroadcastChannel). About two minutes before the login itself ends (2
// hours idle, or 12 hours in all) a banner says so. When this page's own clock runs out it
// asks the server first (another tab may have been active); asking is not activity.
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
  const firstLockSeconds = Number(meta("session-lock-seconds-left"));
  const onLockPage = meta("session-state") === "locked-page"; // the server's own lock screen
  const pingUrl = meta("session-keep-alive-url");
  const unlockUrl = meta("session-unlock-url");
  const csrfToken = meta("csrf-token");
  const banner = document.getElementById("session-warning");
  const lockScreen = document.getElementById("screen-lock");
  // The server's lock page has no lock screen of its own to cover it: it is one.
  if (!idleSeconds || !pingUrl || !csrfToken || !banner || (!lockScreen && !onLockPage)) {
    return;
  }
  const text = document.getElementById("session-warning-text");
  const stay = document.getElementById("session-warning-stay");
  const soonTemplate = document.getElementById("session-warning-soon").innerHTML;
  const endedTemplate = document.getElementById("session-warning-ended").innerHTML;
  const lockForm = document.getElementById("screen-lock-form");
  const lockPassword = document.getElementById("screen-lock-password");
  const lockError = document.getElementById("screen-lock-error");
  const lockUnlock = document.getElementById("screen-lock-unlock");
  const lockEnded = document.getElementById("screen-lock-ended");
  const lockTitle = lockScreen ? document.getElementById("screen-lock-title").textContent : "";
  const covered = [document.querySelector("main"), document.querySelector(".site-header nav")];
  const PING_INTERVAL_MS = 60 * 1000;
  const POLL_INTERVAL_MS = 30 * 1000;
  const WARN_BEFORE_MS = 2 * 60 * 1000;
  const channel = "BroadcastChannel" in window ? new BroadcastChannel("therapy-session") : null;

  let deadline = Date.now() + firstSeconds * 1000; // this page's own request was activity
  let lockDeadline = Date.now() + firstLockSeconds * 1000;
  let lastPing = Date.now();
  let lastPoll = Date.now();
  let ended = false;
  let locked = onLockPage; // the server's lock page is locked from the start
  let asking = false; // a status question is on its way
  let askedFor = null; // the deadline the server last confirmed as the end
  let savedTitle = document.title;
  let savedFocus = null;

  function show(message) {
    text.textContent = message;
    banner.hidden = false;
  }

  function template(html) {
    return new DOMParser().parseFromString(html, "text/html").body.textContent;
  }

  function showEnded() {
    ended = true;
    stay.hidden = true;
    if (locked && lockScreen) {
      // Still out of sight: the text stays on the page, under the lock, for after a new login.
      lockPassword.closest(".field").hidden = true;
      lockUnlock.hidden = true;
      lockEnded.hidden = false;
      return;
    }
    show(template(endedTemplate));
  }

  // Cover the page: its content is hidden and inert, its title no longer names anyone.
  function lock(announce) {
    if (locked) {
      return;
    }
    locked = true;
    savedFocus = document.activeElement;
    savedTitle = document.title;
    document.title = lockTitle;
    document.body.classList.add("is-locked");
    covered.forEach((element) => element && (element.inert = true));
    banner.hidden = true;
    lockError.hidden = true;
    lockScreen.hidden = false;
    lockPassword.focus();
    if (announce && channel) {
      channel.postMessage("locked");
    }
  }

  function uncover(announce) {
    if (!locked) {
      return;
    }
    if (onLockPage) {
      // Unlocked in another tab: go on to the page this lock screen stood in for.
      const next = document.getElementById("unlock-next");
      window.location.assign((next && next.value) || window.location.href);
      return;
    }
    locked = false;
    lockPassword.value = "";
    lockScreen.hidden = true;
    covered.forEach((element) => element && (element.inert = false));
    document.body.classList.remove("is-locked");
    document.title = savedTitle;
    if (savedFocus && typeof savedFocus.focus === "function") {
      savedFocus.focus();
    }
    if (announce && channel) {
      channel.postMessage("unlocked");
    }
  }

  // The keep-alive endpoint's answer, or null when the login gate refused (login over).
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

  // What the server says of the login: how long it has left, and whether it is locked.
  function follow(data) {
    if (data === null || !(data.seconds_left > 0)) {
      showEnded();
      return;
    }
    if (ended && lockScreen) {
      // A new login in another tab of this browser: this page may go on.
      ended = false;
      lockPassword.closest(".field").hidden = false;
      lockUnlock.hidden = false;
      lockEnded.hidden = true;
      banner.hidden = true;
    }
    deadline = Date.now() + data.seconds_left * 1000;
    if (data.locked) {
      lock(true);
      return;
    }
    lockDeadline = Date.now() + data.lock_seconds_left * 1000;
    uncover(false);
    if (data.seconds_left * 1000 > WARN_BEFORE_MS) {
      banner.hidden = true;
    }
  }

  // This page's clock says the lock or the end has come, or it is time to look at the other
  // tabs: ask, without it counting as activity.
  function askStatus() {
    asking = true;
    lastPoll = Date.now();
    askServer(true)
      .then((data) => {
        asking = false;
        follow(data);
        askedFor = null;
      })
      .catch(() => {
        // Unreachable: trust this page's clock.
        asking = false;
        askedFor = deadline;
        if (Date.now() >= lockDeadline) {
          lock(true);
        }
      });
  }

  function ping() {
    lastPing = Date.now();
    askServer(false)
      .then(follow)
      .catch(() => {
        // Offline for a moment: the next keystroke tries again.
        lastPing = 0;
      });
  }

  function activity() {
    if (!ended && !locked && !onLockPage && Date.now() - lastPing >= PING_INTERVAL_MS) {
      ping();
    }
  }

  function check() {
    if (asking) {
      return;
    }
    const now = Date.now();
    const left = deadline - now;
    if (ended) {
      if (now - lastPoll >= POLL_INTERVAL_MS) {
        askStatus(); // a new login in another tab brings this page back
      }
      return;
    }
    if (left <= 0 && askedFor === deadline) {
      showEnded();
    } else if (left <= 0 || (!locked && now >= lockDeadline) || now - lastPoll >= POLL_INTERVAL_MS) {
      askStatus();
    } else if (left <= WARN_BEFORE_MS && !locked) {
      const minutes = String(Math.max(1, Math.round(left / 60000)));
      stay.hidden = false;
      show(template(soonTemplate).replace("{minutes}", minutes));
    }
  }

  function unlock(event) {
    event.preventDefault();
    lockError.hidden = true;
    fetch(unlockUrl, {
      method: "POST",
      body: new FormData(lockForm),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
    })
      .then((response) => {
        if (response.type === "opaqueredirect") {
          return null; // the login ended meanwhile
        }
        return response.json();
      })
      .then((data) => {
        if (data === null) {
          showEnded();
        } else if (data.unlocked) {
          lockDeadline = Date.now() + POLL_INTERVAL_MS; // until the server says how long
          lastPing = Date.now();
          uncover(true);
          askStatus(); // the real time left, from the server
        } else {
          lockPassword.value = "";
          lockError.textContent = data.error;
          lockError.hidden = false;
          lockPassword.focus();
        }
      })
      .catch(() => {
        lockError.textContent = lockError.dataset.offline || "";
        lockError.hidden = !lockError.textContent;
      });
  }

  if (channel) {
    channel.onmessage = (event) => {
      if (event.data === "locked") {
        lock(false);
      } else if (event.data === "unlocked") {
        askStatus();
      }
    };
  }
  if (lockForm) {
    lockForm.addEventListener("submit", unlock);
  }
  document.addEventListener("input", activity, { passive: true });
  document.addEventListener("keydown", activity, { passive: true });
  stay.addEventListener("click", ping);
  window.setInterval(check, 5000);
})();
