/* The compound screen's panels, drawn from its persisted screenFeed (helpers: screen_common.js).
 * The finance chart is drawn by ECharts, as on the public finance statement page, beside the
 * same figures in words.
 */
var financeChart = null;

function financeRows(statement) {
  // Opening balance, income and expenditure by category, closing balance: one bar each.
  var byCategory = {};
  var order = [];
  (statement.lines || []).forEach(function (line) {
    var income = String(line.direction).toLowerCase() === "income";
    var key = (income ? "收入" : "支出") + "·" + line.category;
    if (!(key in byCategory)) {
      byCategory[key] = { name: line.category, series: income ? "收入" : "支出", amount: 0 };
      order.push(key);
    }
    byCategory[key].amount += Number(line.amount) || 0;
  });
  return [{ name: "期初余额", series: "余额", amount: Number(statement.openingBalance) }]
    .concat(order.map(function (key) { return byCategory[key]; }))
    .concat([{ name: "期末余额", series: "余额", amount: Number(statement.closingBalance) }]);
}

function drawFinance(statement) {
  var chart = document.getElementById("finance-chart");
  var summary = clear(document.getElementById("finance-summary"));
  var title = document.getElementById("finance-title");
  if (!statement) {
    title.textContent = "";
    if (financeChart) { financeChart.dispose(); financeChart = null; }
    empty(chart, "暂无已公开的收支情况");
    return;
  }
  title.textContent = statement.title;
  // The figures first, so the chart is sized to the room they leave.
  [["期初余额", statement.openingBalance], ["收入合计", statement.incomeTotal],
    ["支出合计", statement.expenditureTotal], ["期末余额", statement.closingBalance]].forEach(function (pair) {
    summary.appendChild(el("dt", { text: pair[0] }));
    summary.appendChild(el("dd", { text: yuan(pair[1]) }));
  });
  var rows = financeRows(statement);
  chart.setAttribute("data-bars", String(rows.length));
  if (window.echarts) {
    if (!financeChart) {
      clear(chart);
      financeChart = window.echarts.init(chart, null, { locale: "ZH", renderer: "svg" });
    }
    var colours = { 余额: "#94a3b8", 收入: "#22c55e", 支出: "#ef4444" };
    financeChart.setOption({
      animation: false,
      aria: { enabled: true },
      textStyle: { color: "#e2e8f0", fontSize: 16 },
      legend: { top: 0, textStyle: { color: "#e2e8f0", fontSize: 16 } },
      grid: { left: 4, right: 96, top: 28, bottom: 4, containLabel: true },
      xAxis: { type: "value", axisLabel: { show: false }, splitLine: { lineStyle: { color: "#334155" } } },
      yAxis: { type: "category", inverse: true, axisLabel: { color: "#e2e8f0", fontSize: 16 },
        data: rows.map(function (row) { return row.name; }) },
      series: Object.keys(colours).map(function (name) {
        return {
          name: name, type: "bar", stack: "amount", itemStyle: { color: colours[name] },
          label: { show: true, position: "right", color: "#e2e8f0", fontSize: 15,
            formatter: function (item) { return item.value ? item.value.toFixed(2) : ""; } },
          data: rows.map(function (row) { return row.series === name ? row.amount : null; }),
        };
      }),
    }, true);
    financeChart.resize();
  } else {
    empty(chart, "图表组件未能载入，数字见下方");
  }
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

function drawAssets(lists) {
  var box = clear(document.getElementById("assets"));
  var caption = document.getElementById("assets-title");
  if (!lists || !(lists.items || []).length) {
    caption.textContent = "";
    empty(box, "暂无已公开的三张清单");
    return;
  }
  caption.textContent = lists.title + (lists.asOf ? "（" + lists.asOf + "）" : "");
  var list = el("ul", { class: "asset-list" });
  lists.items.slice(0, LIST_ROWS).forEach(function (item) {
    list.appendChild(el("li", {}, [
      el("span", {}, [el("span", { class: "kind", text: item.kindLabel }), el("span", { text: item.name })]),
      el("span", { class: "quantity", text: Number(item.quantity).toLocaleString("zh-CN") + " " + item.unit }),
    ]));
  });
  box.appendChild(list);
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

function turnoutRow(label, percent, answered, eligible) {
  var fill = el("span", { class: "fill" });
  fill.style.width = Math.min(Number(percent) || 0, 100) + "%";
  return [
    el("span", { text: label }),
    el("span", { class: "track" }, [fill, el("span", { class: "line", title: "三分之二" })]),
    el("span", { text: answered + " / " + eligible }),
  ];
}

function drawOpenVotes(votes) {
  var box = clear(document.getElementById("open-votes"));
  if (!votes.length) {
    empty(box, "暂无正在进行的表决");
    return;
  }
  var list = el("ul", { class: "open-vote-list" });
  votes.slice(0, 2).forEach(function (vote) {
    list.appendChild(el("li", { "data-id": vote.id }, [
      el("h3", { text: vote.title }),
      el("span", { class: "closes", text: "截止 " + shortDate(vote.closesAt) + " " + timeFormat.format(new Date(vote.closesAt)) }),
      el("div", { class: "turnout" },
        turnoutRow("按人数", vote.headsPercent, vote.answeredHeads + " 人", vote.eligibleHeads + " 人")
          .concat(turnoutRow("按面积", vote.areaPercent, Number(vote.answeredArea).toFixed(2) + " ㎡",
            Number(vote.eligibleArea).toFixed(2) + " ㎡"))),
      el("p", { class: "caption", text: vote.participationReached
        ? "参与人数和面积均已达到三分之二"
        : "参与率：人数 " + (vote.headsPercent || 0) + "%，面积 " + (vote.areaPercent || 0) + "%（须均达到三分之二）" }),
    ]));
  });
  box.appendChild(list);
}

function drawVotes(votes) {
  var box = clear(document.getElementById("votes"));
  if (!votes.length) {
    empty(box, "暂无表决结果");
    return;
  }
  votes.slice(0, 1).forEach(function (vote) {
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

function drawFirms(firms) {
  var box = clear(document.getElementById("firm"));
  if (!firms.length) {
    box.appendChild(el("span", { class: "label", text: "物业服务：暂无公开信息" }));
    return;
  }
  firms.slice(0, 1).forEach(function (firm) {
    box.appendChild(el("span", { class: "label", text: "物业服务" }));
    box.appendChild(el("span", { class: "name", text: firm.name }));
    if (firm.officePhone) box.appendChild(el("span", { class: "phone", text: "☎ " + firm.officePhone }));
  });
}

// The configured kinds' tables: one at a time, the next at each rotation, a few rows each.
var TABLE_ROWS = 3;
var configured = { pages: [], current: 0 };

function drawConfigured() {
  var panel = document.getElementById("configured-panel");
  var box = clear(document.getElementById("configured"));
  var pages = configured.pages;
  panel.hidden = !pages.length;
  document.getElementById("stage").classList.toggle("with-tables", pages.length > 0);
  if (!pages.length) return;
  var page = pages[configured.current % pages.length];
  document.getElementById("configured-heading").textContent = page.kindName;
  document.getElementById("configured-title").textContent = [page.title].concat(page.header).join("　");
  box.appendChild(el("table", { "data-kind": page.kindCode }, [
    el("thead", {}, [el("tr", {}, page.columns.map(function (label) { return el("th", { text: label }); }))]),
    el("tbody", {}, page.rows.slice(0, TABLE_ROWS).map(function (row) {
      return el("tr", {}, row.map(function (text) { return el("td", { text: text }); }));
    })),
  ]));
  if (page.rows.length > TABLE_ROWS) {
    box.appendChild(el("p", { class: "more", text: "另有 " + (page.rows.length - TABLE_ROWS) + " 行，详见公示栏" }));
  }
}

function showConfigured(pages) {
  configured.pages = pages;
  configured.current = 0;
  drawConfigured();
}

setInterval(function () {
  if (configured.pages.length > 1) {
    configured.current = (configured.current + 1) % configured.pages.length;
    drawConfigured();
  }
}, config.rotateSeconds * 1000);

start(function (data) {
  var feed = data.screenFeed || {};
  // First, so that the chart is sized to the room the tables' panel leaves.
  showConfigured(feed.configuredTables || []);
  showNotices(feed.notices || []);
  drawFinance(feed.financeStatement || null);
  drawFees(feed.feeCollection || null);
  drawAssets(feed.assetLists || null);
  drawProposals(feed.proposals || []);
  drawOpenVotes(feed.openVotes || []);
  drawVotes(feed.voteResults || []);
  drawFirms(feed.propertyFirms || []);
});
