// The review page: select a change (click, j/k), decide it (a/r/e/u or the buttons), and
// each decision is posted at once; the server saves it beside the story and the book
// preview reloads the chapter as the book will have it. No build step, no library.
(function () {
  "use strict";
  var root = document.getElementById("review");
  if (!root) return;
  var token = root.dataset.token;
  var generation = Number(root.dataset.generation);
  var version = Number(root.dataset.version);
  var toolbar = document.getElementById("toolbar");
  var form = toolbar.querySelector(".edit-form");
  var input = form.querySelector("input");
  var frame = document.getElementById("preview");
  var label = document.getElementById("preview-label");
  var status = document.getElementById("status");
  var current = null;
  var shown = frame.getAttribute("src");
  var pending = 0;

  function say(text, error) {
    status.textContent = text;
    status.className = error ? "status error" : "status";
  }

  // The items a person can see now (those in a closed fold are skipped).
  function visibleItems() {
    return Array.prototype.filter.call(document.querySelectorAll("li.item"), function (el) {
      return el.offsetParent !== null;
    });
  }

  function select(el, scroll) {
    if (!el) return;
    if (current) current.classList.remove("current");
    current = el;
    el.classList.add("current");
    form.hidden = true;
    toolbar.hidden = false;
    var words = toolbar.querySelectorAll(".word");
    for (var i = 0; i < words.length; i++) words[i].textContent = el.dataset.original.trim();
    el.appendChild(toolbar);
    if (scroll !== false) el.scrollIntoView({ block: "nearest" });
    showPreview(el, false);
  }

  function previewUrl(el) {
    return "/preview/" + el.dataset.story + "/" + Math.max(0, Number(el.dataset.chapter)) + "?v=" + version;
  }

  function showPreview(el, reload) {
    var url = previewUrl(el);
    var chapter = el.querySelector(".where .chapter");
    label.textContent = chapter ? chapter.textContent : "";
    if (url !== shown || reload) {
      shown = url;
      frame.setAttribute("src", url);
    } else {
      mark();
    }
  }

  // Outline the block of the selected change in the preview and bring it into view.
  function mark() {
    var doc = frame.contentDocument;
    if (!doc || !current) return;
    var old = doc.querySelectorAll(".review-current");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("review-current");
    var block = Number(current.dataset.block);
    var target = block < 0 ? doc.getElementById("chapter-title") : doc.getElementById("b" + block);
    if (target) {
      target.classList.add("review-current");
      target.scrollIntoView({ block: "center" });
    }
  }

  frame.addEventListener("load", function () {
    mark();
    root.dataset.previewVersion = String(version);
    document.dispatchEvent(new CustomEvent("review:preview", { detail: { version: version } }));
  });

  function update(item) {
    var el = document.getElementById("i" + item.id);
    if (!el) return;
    el.classList.remove("fix", "suggestion", "accepted", "rejected", "edited", "kept");
    el.classList.add(item.state);
    var own = el.querySelector("ins.own");
    if (own) own.textContent = item.state === "edited" ? item.text : "";
  }

  function post(action, scope, ids, text) {
    pending++;
    root.dataset.pending = String(pending);
    say("Saving…");
    return fetch("/decide", {
      method: "POST",
      headers: { "content-type": "application/json", "x-review-token": token },
      body: JSON.stringify({ generation: generation, items: ids, action: action, scope: scope, text: text || "" }),
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) {
        return response.text().then(function (body) { throw new Error(body.trim() || response.statusText); });
      }
      return response.json();
    }).then(function (data) {
      data.items.forEach(update);
      version = data.version;
      var n = data.items.length;
      say("Saved: " + n + " change" + (n === 1 ? "" : "s") + " decided.");
      document.dispatchEvent(new CustomEvent("review:saved", { detail: data }));
      if (current) showPreview(current, true);
    }).catch(function (error) {
      say("Not saved: " + error.message, true);
    }).then(function () {
      pending--;
      root.dataset.pending = String(pending);
    });
  }

  function forgetStale(button) {
    return fetch("/forget-stale", {
      method: "POST",
      headers: { "content-type": "application/json", "x-review-token": token },
      body: JSON.stringify({ story: Number(button.dataset.story) }),
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) throw new Error(response.statusText);
      return response.json();
    }).then(function (data) {
      var box = button.closest(".stale");
      if (box) box.remove();
      say("Forgot " + data.forgotten + " decision" + (data.forgotten === 1 ? "" : "s") + " that no longer matched.");
    }).catch(function (error) { say("Not saved: " + error.message, true); });
  }

  function act(action, scope, button) {
    if (action === "cancel") { form.hidden = true; return; }
    if (action === "forget-stale") return forgetStale(button);
    if (scope === "rule") {
      return post(action, "rule", [button.dataset.item]);
    }
    if (!current) { say("Select a change first (click it, or press j).", true); return; }
    if (action === "edit") {
      form.hidden = false;
      var own = current.querySelector("ins.own").textContent;
      input.value = own || current.dataset.proposed;
      input.focus();
      input.select();
      return;
    }
    if (action === "undo" && current.classList.contains("kept")) action = "unkeep";
    return post(action, scope || "item", [current.dataset.id]);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!current) return;
    form.hidden = true;
    post("edit", "item", [current.dataset.id], input.value);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-act]");
    if (button) {
      event.preventDefault();
      act(button.dataset.act, button.dataset.scope, button);
      return;
    }
    var item = event.target.closest("li.item");
    if (item && !event.target.closest("#toolbar")) select(item, false);
  });

  function move(step) {
    var items = visibleItems();
    if (!items.length) return;
    var at = current ? items.indexOf(current) : -1;
    var next = at < 0 ? (step > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, at + step));
    select(items[next]);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest && event.target.closest("input, textarea")) {
      if (event.key === "Escape") { form.hidden = true; if (current) current.focus(); }
      return;
    }
    var keys = { j: function () { move(1); }, k: function () { move(-1); },
                 a: function () { act("accept"); }, r: function () { act("reject"); },
                 e: function () { act("edit"); }, u: function () { act("undo"); } };
    var run = keys[event.key];
    if (run) { event.preventDefault(); run(); }
  });

  // Typography folds list their items only when opened (a novel has thousands).
  Array.prototype.forEach.call(document.querySelectorAll("details.fold"), function (fold) {
    fold.addEventListener("toggle", function () {
      var list = fold.querySelector("ol.items");
      if (!fold.open || list.dataset.loaded) return;
      list.dataset.loaded = "1";
      fetch(fold.dataset.src, { credentials: "same-origin", headers: { "x-review-token": token } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status === 409 ? "the list changed: reload the page" : response.statusText);
          return response.text();
        })
        .then(function (html) { list.innerHTML = html; })
        .catch(function (error) { list.dataset.loaded = ""; say("Could not list them: " + error.message, true); });
    });
  });

  // The rest of each long rule, once the page is open.
  var more = document.querySelectorAll("li.more");
  var waiting = more.length;
  root.dataset.complete = waiting ? "" : "1";
  Array.prototype.forEach.call(more, function (li) {
    fetch(li.dataset.src, { credentials: "same-origin", headers: { "x-review-token": token } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.statusText);
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("ol");
        holder.innerHTML = html;
        while (holder.firstChild) li.parentNode.insertBefore(holder.firstChild, li);
        li.remove();
      })
      .catch(function (error) { li.textContent = "Could not list them: " + error.message + " (reload the page)"; })
      .then(function () {
        if (--waiting === 0) { root.dataset.complete = "1"; root.dataset.completeAt = String(performance.now()); }
      });
  });

  root.dataset.readyAt = String(performance.now());  // for bench/review_speed.py
  root.dataset.ready = "1";
})();
