// The ranking's trend: each scope's total over the last periods, from the table beside it.
(function () {
  "use strict";
  const holder = document.getElementById("scorecard-trend-chart");
  const trend = JSON.parse(document.getElementById("scorecard-trend-data").textContent);
  const chart = echarts.init(holder, null, { locale: "ZH", renderer: "canvas" });
  chart.setOption({
    animation: false,
    aria: { enabled: true },
    tooltip: { trigger: "axis", valueFormatter: (value) => (value == null ? "—" : Number(value).toFixed(2)) },
    legend: { top: 0, type: "scroll" },
    grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: trend.periods },
    yAxis: { type: "value", name: "总分", min: 0, max: 100 },
    series: trend.series.map((row) => ({
      name: row.name,
      type: "line",
      connectNulls: false,
      label: { show: true, formatter: (item) => (item.value == null ? "" : Number(item.value).toFixed(2)) },
      data: row.data.map((value) => (value == null ? null : Number(value))),
    })),
  });
  window.addEventListener("resize", () => chart.resize());
})();
