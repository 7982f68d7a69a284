/* The community screen's panels, drawn from its persisted communityScreenFeed (helpers:
 * screen_common.js): the community's notices, and per compound its disclosures due now, its
 * latest fee collection rate and its open proposals.
 */
function figure(value, label) {
  return el("div", { class: "figure" }, [
    el("span", { class: "value", text: value }),
    el("span", { class: "label", text: label }),
  ]);
}

function drawCompounds(rows) {
  var box = clear(document.getElementById("compound-cards"));
  if (!rows.length) {
    empty(box, "暂无已公开的小区");
    return;
  }
  rows.forEach(function (row) {
    var rate = row.feeCollectionRate === null || row.feeCollectionRate === undefined
      ? "—" : Number(row.feeCollectionRate).toFixed(1) + "%";
    var dues = el("ul", { class: "dues" }, row.disclosures.map(function (due) {
      return el("li", {}, [
        el("span", { text: due.name + "（" + due.periodLabel + "）" }),
        el("span", { class: "state " + due.state, text: due.stateLabel }),
      ]);
    }));
    if (!row.disclosures.length) dues.appendChild(el("li", { text: "本期没有应公开的事项" }));
    box.appendChild(el("article", { class: "compound-card", "data-slug": row.compound.slug }, [
      el("h3", { text: row.compound.title }, [
        el("span", { class: "on-time" + (row.disclosuresOnTime ? "" : " late"),
          text: row.disclosuresOnTime ? "按时公开" : "有逾期未公开" }),
      ]),
      el("div", { class: "figures" }, [
        figure(rate, "物业费收缴率" + (row.feeCollectionPeriodEnd ? "（截至 " + row.feeCollectionPeriodEnd + "）" : "")),
        figure(String(row.openProposals), "进行中的大额资金使用申请"),
      ]),
      dues,
    ]));
  });
}

start(function (data) {
  var feed = data.communityScreenFeed || {};
  showNotices(feed.notices || []);
  drawCompounds(feed.compounds || []);
});
