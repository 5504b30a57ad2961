"use client";

import { useLayoutEffect, useRef, useState, type CSSProperties } from "react";
import type { DisplayLine } from "@/lib/display/display-state";
import type { Language } from "@/lib/sales/types";
import { formatAmount } from "@/lib/i18n/locale";

/**
 * The sale's lines. When they do not fit, the list glides up and back down slowly so the customer
 * can read every line without anyone touching the screen.
 */
export function OrderLines({
  lines,
  currency,
  language,
  summary,
}: {
  lines: DisplayLine[];
  currency: string;
  language: Language;
  summary: string;
}) {
  const frameRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const [overflow, setOverflow] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure whenever the lines change
  useLayoutEffect(() => {
    const frame = frameRef.current;
    const list = listRef.current;
    if (!frame || !list) return;
    const measure = () => setOverflow(Math.max(0, Math.ceil(list.scrollHeight - frame.clientHeight)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(frame);
    observer.observe(list);
    return () => observer.disconnect();
  }, [lines]);

  const style = {
    "--lines-overflow": `-${overflow}px`,
    // About 40 px per second of travel, and never faster than a line a second.
    "--lines-duration": `${Math.max(8, Math.round((overflow / 40) * 2.6))}s`,
  } as CSSProperties;

  return (
    <div className="flex h-full min-h-0 flex-col">
      <p className="mb-[1.2vmin] text-[2.2vmin] font-semibold tracking-[0.14em] text-ink-300 uppercase">{summary}</p>
      <div ref={frameRef} className={`relative min-h-0 flex-1 overflow-hidden ${overflow > 0 ? "lines-fade" : ""}`}>
        <ul
          ref={listRef}
          data-testid="display-lines"
          className={`divide-y divide-white/10 ${overflow > 0 ? "lines-scrolling" : ""}`}
          style={style}
        >
          {lines.map((line, index) => (
            <li key={index} className="flex items-baseline gap-[2vmin] py-[1.1vmin] text-[3vmin] leading-tight">
              <span className="w-[5.5vmin] shrink-0 text-right text-ink-300">{line.quantity}×</span>
              <span className="min-w-0 flex-1 truncate">{line.name}</span>
              <span className="shrink-0 font-medium">{formatAmount(line.totalAmount, currency, language)}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
