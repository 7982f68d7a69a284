/* What every public screen's script shares: poll the cheap version query, refetch the feed
 * only when it changed, rotate the notices, and keep the last good data through network errors.
 * Plain ES2017, no build step and nothing fetched from outside: screens often have no internet.
 * Included, with the screen's own drawing, inside one function (see the screen's template);
 * the screen's script calls start(drawFeed).
 */
var config = JSON.parse(document.getElementById("screen-config").textContent);
var SVG = "http://www.w3.org/2000/svg";
var TIME_ZONE = "Asia/Shanghai";
var REQUEST_TIMEOUT_MS = 10000;
var LIST_ROWS = 9;

var state = {
  version: null,
  notices: [],
  current: 0,
  lastGood: null,
  offline: false,
  refusal: "",
};

// ------------------------------------------------------------------ small helpers

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (name) {
    if (name === "text") node.textContent = attrs[name];
    else node.setAttribute(name, attrs[name]);
  });
  (children || []).forEach(function (child) {
    if (child) node.appendChild(child);
  });
  return node;
}

function svg(tag, attrs, text) {
  var node = document.createElementNS(SVG, tag);
  Object.keys(attrs || {}).forEach(function (name) {
    node.setAttribute(name, attrs[name]);
  });
  if (text !== undefined) node.textContent = text;
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

function empty(node, text) {
  clear(node).appendChild(el("p", { class: "empty", text: text }));
}

var timeFormat = new Intl.DateTimeFormat("zh-CN", {
  timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit", hour12: false,
});
var dateFormat = new Intl.DateTimeFormat("zh-CN", {
  timeZone: TIME_ZONE, month: "numeric", day: "numeric",
});
var clockFormat = new Intl.DateTimeFormat("zh-CN", {
  timeZone: TIME_ZONE, month: "long", day: "numeric", weekday: "short",
  hour: "2-digit", minute: "2-digit", hour12: false,
});

function shortDate(value) {
  return value ? dateFormat.format(new Date(value)) : "";
}

function yuan(value) {
  var number = Number(value);
  if (!isFinite(number)) return String(value);
  return number.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " 元";
}

// ------------------------------------------------------------------ talking to the API

function variables() {
  return encodeURIComponent(JSON.stringify(config.variables));
}

function persisted(queryId) {
  var url = config.endpoint + "?id=" + encodeURIComponent(queryId) + "&variables=" + variables();
  var controller = new AbortController();
  var timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
  var headers = { Accept: "application/json" };
  // A registered screen identifies itself; published content is readable without a token.
  if (config.token) headers.Authorization = "Screen " + config.token;
  // "no-cache" revalidates with the stored ETag: an unchanged answer costs a 304.
  return fetch(url, { cache: "no-cache", headers: headers, signal: controller.signal })
    .then(function (response) {
      if (response.status === 401 || response.status === 403) {
        // The server refuses this screen (no token, a wrong or revoked one): say why.
        return response.json().then(function (payload) {
          var refused = new Error("HTTP " + response.status);
          refused.refusal = (payload.errors && payload.errors[0] && payload.errors[0].message) || "";
          throw refused;
        });
      }
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(function (payload) {
      if (!payload || !payload.data || (payload.errors && payload.errors.length)) {
        throw new Error("GraphQL error");
      }
      return payload.data;
    })
    .finally(function () { clearTimeout(timer); });
}

// ------------------------------------------------------------------ notices

function drawNotices() {
  var feature = clear(document.getElementById("notice-feature"));
  var list = clear(document.getElementById("notice-list"));
  var notices = state.notices;
  if (!notices.length) {
    feature.appendChild(el("p", { class: "empty", text: "暂无通知公告" }));
    return;
  }
  var current = notices[state.current % notices.length];
  feature.setAttribute("data-id", current.id);
  feature.appendChild(el("div", { class: "meta" }, [
    current.pinned ? el("span", { class: "tag pinned", text: "置顶" }) : null,
    el("span", { class: "tag", text: current.categoryLabel || current.category || "通知" }),
    el("span", { text: shortDate(current.publishedAt) }),
  ]));
  feature.appendChild(el("h3", { text: current.title }));
  if (current.summary) feature.appendChild(el("p", { text: current.summary }));
  var picture = (current.images || [])[0];
  if (picture) feature.appendChild(el("img", { class: "notice-image", src: picture.url, alt: picture.alt || "" }));

  // The list shows a window of titles that follows the rotation.
  var start = Math.floor((state.current % notices.length) / LIST_ROWS) * LIST_ROWS;
  notices.slice(start, start + LIST_ROWS).forEach(function (notice, offset) {
    var row = el("li", { "data-id": notice.id }, [
      el("span", { class: "title", text: (notice.pinned ? "【置顶】" : "") + notice.title }),
      el("span", { class: "date", text: shortDate(notice.publishedAt) }),
    ]);
    if (start + offset === state.current % notices.length) row.className = "current";
    list.appendChild(row);
  });
}

function showNotices(notices) {
  var previous = state.notices[state.current % (state.notices.length || 1)];
  // Pinned first, then the most recent: the order a notice board is read in.
  state.notices = notices.filter(function (n) { return n.pinned; })
    .concat(notices.filter(function (n) { return !n.pinned; }));
  // Keep the notice on show if it is still there, so a refresh does not jump.
  var keep = previous ? state.notices.findIndex(function (n) { return n.id === previous.id; }) : -1;
  state.current = keep >= 0 ? keep : 0;
  drawNotices();
}

// ------------------------------------------------------------------ status and loop

function showStatus() {
  var status = document.getElementById("status");
  var when = state.lastGood ? timeFormat.format(state.lastGood) : "—";
  status.classList.toggle("offline", state.offline);
  if (state.refusal) status.textContent = state.refusal + " · 最后更新 " + when;
  else status.textContent = state.offline ? "离线 · 最后更新 " + when : "更新于 " + when;
}

function succeeded() {
  state.offline = false;
  state.refusal = "";
  state.lastGood = new Date();
  showStatus();
}

function failed(error) {
  // Keep everything on screen; only the small mark in the corner changes.
  state.offline = true;
  state.refusal = (error && error.refusal) || "";
  showStatus();
}

function start(drawFeed) {
  function poll() {
    persisted(config.versionQuery)
      .then(function (data) {
        var version = data.contentVersion;
        if (version !== null && version !== undefined && version === state.version) return null;
        return persisted(config.feedQuery).then(function (feed) {
          drawFeed(feed);
          document.getElementById("stage").classList.remove("loading");
          state.version = version;
        });
      })
      .then(succeeded, failed)
      .finally(function () { setTimeout(poll, config.pollSeconds * 1000); });
  }

  function rotate() {
    if (state.notices.length > 1) {
      state.current = (state.current + 1) % state.notices.length;
      drawNotices();
    }
  }

  function tick() {
    document.getElementById("clock").textContent = clockFormat.format(new Date());
  }

  function fit() {
    var scale = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    document.getElementById("stage").style.transform = "scale(" + scale + ")";
  }

  var hash = new URLSearchParams(window.location.hash.slice(1));
  if (hash.get("token")) config.token = hash.get("token");
  window.addEventListener("resize", fit);
  fit();
  tick();
  setInterval(tick, 1000);
  setInterval(rotate, config.rotateSeconds * 1000);
  poll();
}
