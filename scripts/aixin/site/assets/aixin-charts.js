/* The site's charts (site/charts.py, templates/_chart.j2): each figure.aixin-chart holds its data
   as JSON; this draws it with the pinned Apache ECharts copy beside this file (vendor/echarts/),
   loaded only on pages that have a chart, from the site's own folder (works over file://).
   The table under each chart holds the same numbers; on paper only the table prints (aixin.css). */
(function () {
  var here = document.currentScript ? document.currentScript.src : "";
  var library = here ? new URL("vendor/echarts/echarts.min.js", here).href : "";
  var loading = null;
  var drawn = [];

  function load() {
    if (window.echarts) return Promise.resolve(window.echarts);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = library;
        script.onload = function () { resolve(window.echarts); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function withUnit(unit) {
    return function (value) {
      return value === null || value === undefined || value === "-" ? "<5" : value + (unit === "%" ? "%" : " " + unit);
    };
  }

  function options(data) {
    var unit = data.unit || "";
    var many = data.series.length > 1;
    var base = {
      animation: false,
      aria: { enabled: true },
      color: ["#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4",
              "#ea7ccc", "#8d6e63", "#607d8b"],
      tooltip: { trigger: data.kind === "pie" ? "item" : "axis", valueFormatter: unit ? withUnit(unit) : undefined },
      legend: many || data.kind === "pie" ? { type: "scroll", top: 0 } : undefined,
      grid: { left: 8, right: 16, top: many ? 36 : 16, bottom: 8, containLabel: true }
    };
    if (data.kind === "pie") {
      var slices = data.categories.map(function (name, i) {
        return { name: name, value: data.series[0].values[i] };
      }).filter(function (slice) { return slice.value; });
      base.series = [{ type: "pie", name: data.series[0].name, radius: ["35%", "65%"], top: 28,
                       label: { formatter: "{b}：{c}" }, data: slices }];
      return base;
    }
    var category = { type: "category", data: data.categories, axisLabel: { hideOverlap: true } };
    var value = { type: "value", minInterval: 1, max: unit === "%" ? 100 : undefined,
                  axisLabel: { formatter: unit === "%" ? "{value}%" : "{value}" } };
    if (data.kind === "hbar") {
      category.inverse = true;
      base.xAxis = value;
      base.yAxis = category;
    } else {
      base.xAxis = category;
      base.yAxis = value;
    }
    base.series = data.series.map(function (s) {
      return {
        name: s.name,
        type: data.kind === "line" ? "line" : "bar",
        stack: data.kind === "stacked" ? "total" : undefined,
        showSymbol: data.kind === "line" && data.categories.length <= 24,
        data: s.values.map(function (v) { return v === null ? "-" : v; })
      };
    });
    return base;
  }

  function draw(echarts) {
    drawn = drawn.filter(function (chart) { return !chart.isDisposed() && document.body.contains(chart.getDom()); });
    document.querySelectorAll("figure.aixin-chart").forEach(function (figure) {
      var box = figure.querySelector(".aixin-chart-canvas");
      var json = figure.querySelector("script.aixin-chart-data");
      if (!box || !json || echarts.getInstanceByDom(box)) return;
      var chart = echarts.init(box, null, { renderer: "canvas", locale: "ZH" });
      chart.setOption(options(JSON.parse(json.textContent)));
      figure.classList.add("aixin-chart-drawn");
      drawn.push(chart);
    });
  }

  window.addEventListener("resize", function () {
    drawn.forEach(function (chart) { if (!chart.isDisposed()) chart.resize(); });
  });

  function start() {
    if (!document.querySelector("figure.aixin-chart")) return;
    load().then(draw, function () {
      document.querySelectorAll("figure.aixin-chart").forEach(function (f) { f.classList.add("aixin-chart-failed"); });
    });
  }

  // Material's document$ emits on the first load and after each instant navigation.
  if (typeof document$ !== "undefined") document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
