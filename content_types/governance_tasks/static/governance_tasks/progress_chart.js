// The annual task list's progress: how many tasks stand at each status, drawn from the same
// figures the table beside it shows.
(function () {
  "use strict";
  const holder = document.getElementById("task-chart");
  const rows = JSON.parse(document.getElementById("task-chart-data").textContent);
  holder.style.height = `${Math.max(220, rows.length * 56 + 40)}px`;
  const chart = echarts.init(holder, null, { locale: "ZH", renderer: "canvas" });
  chart.setOption({
    animation: false,
    aria: { enabled: true },
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 40, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: "value", name: "项", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: rows.map((row) => row[0]) },
    series: [
      {
        name: "项数",
        type: "bar",
        itemStyle: { color: "#1d4ed8" },
        label: { show: true, position: "right" },
        data: rows.map((row) => row[1]),
      },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
