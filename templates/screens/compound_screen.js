/* The compound screen's script: poll the cheap version query, refetch the feed only when it
 * changed, draw it, rotate the notices, and keep the last good data through network errors.
 * Plain ES2017, no build step and nothing fetched from outside: screens often have no internet.
 */
(function () {
  "use strict";

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

  function percent(part, whole) {
    return whole > 0 ? (100 * part / whole).toFixed(1) + "%" : "—";
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

  // ------------------------------------------------------------------ drawing

  function normalise(data) {
    var feed = data.screenFeed || {};
    return {
      compound: feed.compound || null,
      notices: feed.notices || [],
      statement: feed.financeStatement || null,
      fees: feed.feeCollection || null,
      proposals: feed.proposals || [],
      votes: feed.voteResults || [],
    };
  }

  function orderNotices(notices) {
    // Pinned first, then the most recent: the order a notice board is read in.
    var pinned = notices.filter(function (n) { return n.pinned; });
    var rest = notices.filter(function (n) { return !n.pinned; });
    return pinned.concat(rest);
  }

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

  function drawFinance(statement) {
    var chart = clear(document.getElementById("finance-chart"));
    var summary = clear(document.getElementById("finance-summary"));
    var title = document.getElementById("finance-title");
    if (!statement) {
      title.textContent = "";
      empty(chart, "暂无已公开的收支情况");
      return;
    }
    var period = [statement.periodStart, statement.periodEnd].filter(Boolean).join(" 至 ");
    title.textContent = statement.title + (period ? "（" + period + "）" : "");
    var lines = statement.lines || [];
    var width = 520, rowHeight = 44, labelWidth = 140, valueWidth = 150;
    var height = Math.max(lines.length * rowHeight, rowHeight);
    var biggest = Math.max.apply(null, lines.map(function (l) { return Math.abs(Number(l.amount)) || 0; }).concat([1]));
    var drawing = svg("svg", {
      viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "收支明细图",
      preserveAspectRatio: "xMinYMin meet",
    });
    lines.forEach(function (line, n) {
      var income = String(line.direction).toLowerCase() === "income";
      var barWidth = (width - labelWidth - valueWidth) * (Math.abs(Number(line.amount)) || 0) / biggest;
      var y = n * rowHeight;
      drawing.appendChild(svg("text", { x: 0, y: y + 30 }, (income ? "收 " : "支 ") + line.category));
      drawing.appendChild(svg("rect", {
        x: labelWidth, y: y + 8, width: Math.max(barWidth, 2), height: rowHeight - 16, rx: 4,
        fill: income ? "#22c55e" : "#ef4444", "data-direction": income ? "income" : "expenditure",
      }));
      drawing.appendChild(svg("text", { x: labelWidth + barWidth + 10, y: y + 30 }, yuan(line.amount)));
    });
    chart.appendChild(drawing);
    var income = 0, expenditure = 0;
    lines.forEach(function (line) {
      if (String(line.direction).toLowerCase() === "income") income += Number(line.amount) || 0;
      else expenditure += Number(line.amount) || 0;
    });
    // Totals as the API computed them (exact decimals), when it gives them.
    if (statement.incomeTotal !== undefined) income = statement.incomeTotal;
    if (statement.expenditureTotal !== undefined) expenditure = statement.expenditureTotal;
    [["期初余额", statement.openingBalance], ["收入合计", income], ["支出合计", expenditure],
      ["期末余额", statement.closingBalance]].forEach(function (pair) {
      summary.appendChild(el("dt", { text: pair[0] }));
      summary.appendChild(el("dd", { text: yuan(pair[1]) }));
    });
  }

  function drawFees(fees) {
    var box = clear(document.getElementById("fees"));
    if (!fees) {
      empty(box, "暂无已公开的收缴情况");
      return;
    }
    var paid = Number(fees.householdsPaid) || 0, total = Number(fees.householdsTotal) || 0;
    // The API gives the rate by amount, as a percentage; without it, count households.
    var rate = fees.collectionRate !== undefined && fees.collectionRate !== null
      ? Number(fees.collectionRate)
      : (total ? 100 * paid / total : 0);
    var radius = 110, circumference = 2 * Math.PI * radius;
    var ring = svg("svg", { viewBox: "0 0 260 260", role: "img", "aria-label": "收缴率" });
    ring.appendChild(svg("circle", { cx: 130, cy: 130, r: radius, fill: "none", stroke: "#334155", "stroke-width": 22 }));
    ring.appendChild(svg("circle", {
      cx: 130, cy: 130, r: radius, fill: "none", stroke: "#22c55e", "stroke-width": 22,
      "stroke-dasharray": (circumference * Math.min(rate, 100) / 100) + " " + circumference,
      transform: "rotate(-90 130 130)", "stroke-linecap": "round",
    }));
    ring.appendChild(svg("text", { x: 130, y: 150, "text-anchor": "middle", class: "rate", id: "fee-rate" }, rate.toFixed(1) + "%"));
    box.appendChild(ring);
    box.appendChild(el("dl", {}, [
      el("dt", { text: fees.title || "收缴情况" }),
      el("dd", { text: [fees.periodStart, fees.periodEnd].filter(Boolean).join("—") }),
      el("dt", { text: "已缴户数 / 应缴户数" }),
      el("dd", { text: paid + " / " + total + " 户" }),
      el("dt", { text: "已收金额" }),
      el("dd", { text: yuan(fees.amountCollected) }),
      el("dt", { text: "应收金额" }),
      el("dd", { text: yuan(fees.amountDue) }),
    ]));
  }

  function drawProposals(proposals) {
    var list = clear(document.getElementById("proposals"));
    if (!proposals.length) {
      list.appendChild(el("li", { class: "empty", text: "暂无进行中的申请" }));
      return;
    }
    proposals.forEach(function (proposal) {
      list.appendChild(el("li", { "data-id": proposal.id }, [
        el("span", { class: "title", text: proposal.title }),
        proposal.amount !== undefined ? el("span", { class: "amount", text: yuan(proposal.amount) }) : null,
        el("span", { class: "step", text: "当前环节：" + (proposal.stepLabel || proposal.step || "已公开") }),
      ]));
    });
  }

  function drawVotes(votes) {
    var box = clear(document.getElementById("votes"));
    if (!votes.length) {
      empty(box, "暂无表决结果");
      return;
    }
    votes.slice(0, 2).forEach(function (vote) {
      var passed = vote.passed !== undefined ? vote.passed : String(vote.outcome).toLowerCase() === "passed";
      var rows = [["应参与", "eligible"], ["参与", "participating"], ["同意", "for"],
        ["反对", "against"], ["弃权", "abstain"]];
      var body = el("tbody", {}, rows.map(function (row) {
        return el("tr", {}, [
          el("td", { text: row[0] }),
          el("td", { text: String(vote[row[1] + "Heads"]) + " 人" }),
          el("td", { text: Number(vote[row[1] + "Area"]).toFixed(2) + " ㎡" }),
        ]);
      }));
      box.appendChild(el("div", { class: "vote", "data-id": vote.id }, [
        el("h3", { text: vote.title }, [
          el("span", { class: "outcome " + (passed ? "passed" : "failed"), text: vote.outcomeLabel || (passed ? "通过" : "未通过") }),
        ]),
        el("table", {}, [
          el("thead", {}, [el("tr", {}, [el("th", { text: "" }), el("th", { text: "人数" }), el("th", { text: "专有面积" })])]),
          body,
        ]),
      ]));
    });
  }

  function draw(data) {
    var feed = normalise(data);
    var previous = state.notices[state.current % (state.notices.length || 1)];
    state.notices = orderNotices(feed.notices);
    // Keep the notice on show if it is still there, so a refresh does not jump.
    var keep = previous ? state.notices.findIndex(function (n) { return n.id === previous.id; }) : -1;
    state.current = keep >= 0 ? keep : 0;
    drawNotices();
    drawFinance(feed.statement);
    drawFees(feed.fees);
    drawProposals(feed.proposals);
    drawVotes(feed.votes);
    document.getElementById("stage").classList.remove("loading");
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

  function poll() {
    persisted(config.versionQuery)
      .then(function (data) {
        var version = data.contentVersion;
        if (version !== null && version !== undefined && version === state.version) return null;
        return persisted(config.feedQuery).then(function (feed) {
          draw(feed);
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
})();
