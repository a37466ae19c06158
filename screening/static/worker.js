// Keep the app's style sheets, scripts and fonts on the phone (screening/views/worker.py says what and why).
(function () {
  "use strict";
  var script = document.currentScript;
  if (script && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(script.getAttribute("data-worker"))
      .catch(function () {
        // Without it every page still works; it only loads slower.
      });
  }
})();
