// Practice exports: while a job runs, ask the server how far it is every two seconds and move
// its progress bar; when the file is ready, show the download button. Nothing is sent but GETs.
(function () {
  "use strict";

  const words = {};
  const template = document.getElementById("export-status-words");
  if (template) {
    template.content.querySelectorAll("[data-key]").forEach((span) => {
      words[span.dataset.key] = span.textContent;
    });
  }

  const follow = (box) => {
    const url = box.dataset.exportStatus;
    const bar = box.querySelector("[data-progress]");
    const poll = () => {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((state) => {
          bar.value = state.percent;
          bar.textContent = `${state.percent} %`;
          box.querySelector("[data-done]").textContent = state.done;
          box.querySelector("[data-total]").textContent = state.total;
          box.querySelector("[data-status]").textContent = words[state.status] || state.status;
          if (state.download) {
            box.querySelector("[data-download]").href = state.download;
            box.querySelector("[data-download-line]").hidden = false;
          }
          if (state.running) {
            window.setTimeout(poll, 2000);
          }
        })
        .catch(() => window.setTimeout(poll, 10000));
    };
    window.setTimeout(poll, 1000);
  };

  document.querySelectorAll("[data-export-status][data-running='yes']").forEach(follow);
})();
