// A fee collection's chart: each building's collection rate, by households and by amount, in
// percent, drawn from the same figures the table beside it shows.
(function () {
  "use strict";
  const holder = document.getElementById("fee-chart");
  const rows = JSON.parse(document.getElementById("fee-chart-data").textContent);
  const measures = [
    { key: "households", name: "按户数", color: "#1d4ed8" },
    { key: "amount", name: "按金额", color: "#15803d" },
  ];
  holder.style.height = `${Math.max(220, rows.length * 56 + 80)}px`;
  const chart = echarts.init(holder, null, { locale: "ZH", renderer: "canvas" });
  chart.setOption({
    animation: false,
    aria: { enabled: true },
    tooltip: { trigger: "axis", valueFormatter: (value) => (value == null ? "—" : `${Number(value).toFixed(2)}%`) },
    legend: { top: 0 },
    grid: { left: 8, right: 56, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "value", name: "%", min: 0, max: 100 },
    yAxis: { type: "category", inverse: true, data: rows.map((row) => row.building) },
    series: measures.map((measure) => ({
      name: measure.name,
      type: "bar",
      itemStyle: { color: measure.color },
      label: { show: true, position: "right", formatter: (item) => (item.value == null ? "" : `${item.value.toFixed(2)}%`) },
      data: rows.map((row) => (row[measure.key] == null ? null : Number(row[measure.key]))),
    })),
  });
  window.addEventListener("resize", () => chart.resize());
})();
