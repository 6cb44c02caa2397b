// Line charts drawn with uPlot (loaded as the global uPlot from the page's own copy). Each chart is a figure with a
// caption, the canvas marked as an image with a spoken summary, and the same summary as text under it.

// Distinct in hue and lightness, and told apart by dash patterns too.
export const colours = { blue: "#1f5fbf", orange: "#c2410c", green: "#2e7d32", purple: "#6d28d9", grey: "#6b7280" };

// Whole numbers only on axes that count things (steps, epochs).
const wholeSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

function width(figure) {
  return Math.max(280, Math.floor(figure.getBoundingClientRect().width || 600));
}

/**
 * A chart in `container`.
 * spec: { caption, xLabel, yLabel, time (x in seconds since 1970), yRange: [min, max] | undefined,
 *         series: [{ label, colour, dash, points (draw points only), stepped }] }
 * Returns { update(x, ys, summary), destroy() }.
 */
export function lineChart(container, spec) {
  const caption = document.createElement("figcaption");
  caption.textContent = spec.caption;
  const area = document.createElement("div");
  area.className = "chart-area";
  area.setAttribute("role", "img");
  const summary = document.createElement("p");
  summary.className = "chart-summary";
  const figure = document.createElement("figure");
  figure.className = "chart";
  figure.dataset.chart = spec.id || "";
  figure.append(caption, area, summary);
  container.replaceChildren(figure);

  let plot = null;
  const options = () => ({
    width: width(figure),
    height: 260,
    scales: {
      x: {
        time: Boolean(spec.time),
        // A single point (one epoch, one promotion) still gets a visible range around it.
        range: (u, min, max) => (min === max || min == null ? [(min ?? 0) - (spec.time ? 3600 : 1), (max ?? 0) + (spec.time ? 3600 : 1)] : [min, max]),
      },
      y: spec.yRange ? { range: () => spec.yRange } : { auto: true },
    },
    axes: [
      { label: spec.xLabel, stroke: "#4f5660", grid: { stroke: "#e5e7eb" }, ticks: { stroke: "#d1d5db" }, incrs: spec.time ? undefined : wholeSteps },
      { label: spec.yLabel, stroke: "#4f5660", grid: { stroke: "#e5e7eb" }, ticks: { stroke: "#d1d5db" } },
    ],
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
    series: [
      { label: spec.xLabel },
      ...spec.series.map((s) => ({
        label: s.label,
        stroke: s.colour,
        width: 2,
        dash: s.dash,
        spanGaps: !s.points,
        paths: s.points ? () => null : s.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined,
        points: { show: s.points ? true : (u, seriesIndex, i0, i1) => i1 - i0 < 30, size: s.points ? 9 : 7, fill: s.colour, stroke: s.colour },
      })),
    ],
  });

  let resize = null;
  return {
    update(x, ys, text) {
      area.setAttribute("aria-label", `${spec.caption}. ${text}`);
      summary.textContent = text;
      const data = [x, ...ys];
      if (!plot) {
        plot = new uPlot(options(), data, area);
        resize = new ResizeObserver(() => plot && plot.setSize({ width: width(figure), height: 260 }));
        resize.observe(figure);
      } else {
        plot.setData(data);
      }
    },
    destroy() {
      if (resize) resize.disconnect();
      if (plot) plot.destroy();
      plot = null;
    },
  };
}
