// A finance statement's chart: the opening balance, income and expenditure by category, and
// the closing balance, one bar each, drawn from the figures the page also shows as a table.
(function () {
  "use strict";
  const holder = document.getElementById("finance-chart");
  const figures = JSON.parse(document.getElementById("finance-chart-data").textContent);
  const rows = [
    { name: "期初余额", series: "余额", amount: figures.opening },
    ...figures.categories.map((row) => ({ name: row.category, series: row.label, amount: row.amount })),
    { name: "期末余额", series: "余额", amount: figures.closing },
  ];
  const colours = { 余额: "#64748b", 收入: "#15803d", 支出: "#b91c1c" };
  const series = Object.keys(colours).map((name) => ({
    name,
    type: "bar",
    stack: "amount",
    itemStyle: { color: colours[name] },
    label: { show: true, position: "right", formatter: (item) => (item.value ? item.value.toFixed(2) : "") },
    data: rows.map((row) => (row.series === name ? Number(row.amount) : null)),
  }));
  holder.style.height = `${Math.max(220, rows.length * 44 + 80)}px`;
  const chart = echarts.init(holder, null, { locale: "ZH", renderer: "canvas" });
  chart.setOption({
    animation: false,
    aria: { enabled: true },
    tooltip: { trigger: "item", valueFormatter: (value) => `${Number(value).toFixed(2)} 元` },
    legend: { top: 0 },
    grid: { left: 8, right: 72, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "value", name: "元" },
    yAxis: { type: "category", inverse: true, data: rows.map((row) => row.name) },
    series,
  });
  window.addEventListener("resize", () => chart.resize());
})();
