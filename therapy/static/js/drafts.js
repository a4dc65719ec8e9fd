// Server-side drafts of clinical forms (SECURITY.md, "Nothing typed is lost").
// A form whose hidden form_key carries data-draft-url is sent there about every 30 seconds
// while it has unsent changes, and once more when the page is hidden. The draft is never
// the record: only the form's own Save button adds to it.
(function () {
  "use strict";

  const key = document.querySelector('input[name="form_key"][data-draft-url]');
  if (!key || !key.form) {
    return;
  }
  const form = key.form;
  const url = key.getAttribute("data-draft-url");
  const setting = document.querySelector('meta[name="draft-autosave-seconds"]');
  const intervalMs = Math.max(1, Number(setting ? setting.content : 30) || 30) * 1000;
  const status = document.getElementById("draft-status");
  const failedTemplate = document.getElementById("draft-status-failed");

  let dirty = false;
  let stopped = false;
  let sending = false;

  function say(message) {
    if (status && message) {
      status.textContent = message;
      status.hidden = false;
    }
  }

  function body() {
    const data = new FormData(form); // includes the form's csrf_token and form_key
    data.set("_draft_path", window.location.pathname);
    return data;
  }

  function send() {
    if (!dirty || stopped || sending) {
      return;
    }
    dirty = false;
    sending = true;
    fetch(url, {
      method: "POST",
      body: body(),
      credentials: "same-origin",
      redirect: "manual", // the login gate answers with a redirect once the session is over
      headers: { Accept: "application/json" },
    })
      .then((response) => {
        if (response.status === 409) {
          stopped = true; // the form was saved meanwhile
          return null;
        }
        if (!response.ok) {
          dirty = true;
          say(failedTemplate ? failedTemplate.innerHTML : "");
          return null;
        }
        return response.json();
      })
      .then((data) => {
        if (data && data.message) {
          say(data.message);
        }
      })
      .catch(() => {
        dirty = true; // offline for a moment: the next round tries again
      })
      .finally(() => {
        sending = false;
      });
  }

  form.addEventListener("input", () => {
    dirty = true;
  });
  form.addEventListener("change", () => {
    dirty = true;
  });
  // Saving the form removes its draft on the server; no draft may be sent after that.
  form.addEventListener("submit", () => {
    stopped = true;
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && dirty && !stopped && navigator.sendBeacon) {
      dirty = false;
      navigator.sendBeacon(url, body());
    }
  });
  window.setInterval(send, intervalMs);
})();
