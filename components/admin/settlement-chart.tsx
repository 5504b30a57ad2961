"use client";

import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface SettlementChartSeries {
  label: string;
  /** One value per day, in major units (kroner), null where the day has none. */
  values: (number | null)[];
  colour: string;
}

/**
 * The last 30 days drawn with uPlot. Loaded only by the Settlements page (next/dynamic in
 * settlements-view.tsx), so neither uPlot nor its stylesheet reach any other page's bundle.
 */
export default function SettlementChart({
  days,
  series,
  label,
}: {
  /** Each day's midnight, in seconds since the epoch (uPlot's x unit). */
  days: number[];
  series: SettlementChartSeries[];
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const width = () => Math.max(320, element.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 260,
        scales: { x: { time: true } },
        axes: [{}, { size: 70 }],
        series: [
          {},
          ...series.map((line) => ({
            label: line.label,
            stroke: line.colour,
            width: 2,
            points: { show: true, size: 5 },
            spanGaps: false,
          })),
        ],
      },
      [days, ...series.map((line) => line.values)],
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 260 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, series]);

  return <div ref={host} role="img" aria-label={label} data-testid="settlement-chart" className="w-full" />;
}
