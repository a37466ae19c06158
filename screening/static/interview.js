// The interview, quicker on a slow network and safe when it drops. Every page works as a plain form
// without this script; the server judges every answer. What it adds:
// - a page's answers go in the background and the reply is the next page itself, shown in place
//   (one round trip, no page load); the answers are saved before the next page is shown;
// - when the connection drops, what was entered stays, a notice says so, and it is sent again
//   when the connection is back;
// - the address bar shows a neutral address, and "Exit this page" leaves no case in the history;
// - "None of these", "Don't know" and "Prefer not to say" clear the other ticks, and the other
//   ticks clear them; a question that an answer on the same page calls for appears in place.
(function () {
  "use strict";
  var NEUTRAL = "/welcome";
  var HEADER = "X-Screening-Step";
  var RETRY_MS = [2000, 4000, 8000, 15000, 30000];
  var body = document.body;
  var notice = document.getElementById("unsent");
  var waiting = null;
  var retries = 0;
  var timer = null;

  function main() {
    return document.getElementById("main");
  }

  function reveal() {
    var groups = main().querySelectorAll("[data-shown-by]");
    Array.prototype.forEach.call(groups, function (group) {
      var shown = group.getAttribute("data-shown-by").trim().split(/\s+/).some(function (pair) {
        var parts = pair.split("=");
        return !!main().querySelector('input[name="' + parts[0] + '"][value="' + parts[1] + '"]:checked');
      });
      group.hidden = !shown;
      Array.prototype.forEach.call(group.querySelectorAll("input, textarea, select"), function (field) {
        field.disabled = !shown;
      });
    });
  }

  function settle(url, push) {
    // The same page again (it came back with what to correct) takes no new place in the history.
    var again = url === body.dataset.step;
    body.dataset.step = url;
    history[push && !again ? "pushState" : "replaceState"]({ step: url }, "", NEUTRAL);
  }

  function show(html, url, push) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var fresh = page.getElementById("main");
    main().replaceWith(fresh);
    document.title = page.title;
    settle(url, push);
    reveal();
    window.scrollTo(0, 0);
    var first = fresh.querySelector(".error-summary") || fresh.querySelector("h1") || fresh;
    first.setAttribute("tabindex", "-1");
    first.focus({ preventScroll: true });
  }

  function unsent(on) {
    if (notice) {
      notice.hidden = !on;
    }
  }

  function retryLater() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (waiting) {
        go(waiting);
      }
    }, RETRY_MS[Math.min(retries, RETRY_MS.length - 1)]);
    retries += 1;
  }

  function go(request) {
    var leaving = false;
    if (body.dataset.busy) {
      return;
    }
    waiting = request;
    body.dataset.busy = "1";
    var options = { method: request.form ? "POST" : "GET", headers: {}, credentials: "same-origin" };
    options.headers[HEADER] = "1";
    if (request.form) {
      options.body = new FormData(request.form);
      if (request.submitter && request.submitter.name) {
        options.body.append(request.submitter.name, request.submitter.value);
      }
    }
    fetch(request.url, options)
      .then(function (response) {
        var leave = response.headers.get("X-Step-Leave");
        var here = response.headers.get("X-Step-URL");
        waiting = null;
        retries = 0;
        unsent(false);
        if (leave || !here) {
          // Busy until the page that follows has loaded: a second tap would send the page again.
          leaving = true;
          location.assign(leave || response.url);
          return null;
        }
        return response.text().then(function (html) {
          show(html, here, request.push);
        });
      })
      .catch(function () {
        unsent(true);
        retryLater();
      })
      .then(function () {
        if (!leaving) {
          delete body.dataset.busy;
        }
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-step")) {
      return;
    }
    event.preventDefault();
    var button = event.submitter;
    if (button && button.classList.contains("alternative")) {
      // "None of these", "Don't know", "Prefer not to say": alone, without the ticks made before.
      Array.prototype.forEach.call(form.querySelectorAll('input[name="' + button.name + '"]'), function (box) {
        box.checked = false;
      });
    }
    go({ url: form.action, form: form, submitter: button, push: true });
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (!link || event.defaultPrevented || event.button || event.metaKey || event.ctrlKey) {
      return;
    }
    if (link.classList.contains("exit")) {
      // Leave at once, and leave no page of the case to come back to.
      event.preventDefault();
      waiting = null;
      location.replace(link.href);
    } else if (link.hasAttribute("data-step")) {
      event.preventDefault();
      go({ url: link.href, push: true });
    }
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.type === "checkbox" && box.checked) {
      var others = main().querySelectorAll('input[type="checkbox"][name="' + box.name + '"]');
      Array.prototype.forEach.call(others, function (other) {
        if (other !== box && (box.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive"))) {
          other.checked = false;
        }
      });
    }
    if (box.type === "radio") {
      reveal();
    }
  });

  window.addEventListener("popstate", function (event) {
    if (event.state && event.state.step) {
      go({ url: event.state.step, push: false });
    }
  });

  window.addEventListener("pageshow", function (event) {
    // Back to a page kept in memory after leaving it: not busy any more.
    if (event.persisted) {
      delete body.dataset.busy;
    }
  });

  window.addEventListener("online", function () {
    if (waiting) {
      clearTimeout(timer);
      go(waiting);
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (waiting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  settle(location.pathname + location.search, false);
  reveal();
})();
