/** Outcome symbols, drawn with strokes so they stay crisp at any size. */
type IconProps = { className?: string };

const common = {
  viewBox: "0 0 48 48",
  fill: "none",
  stroke: "currentColor",
  strokeWidth: 5,
  strokeLinecap: "round" as const,
  strokeLinejoin: "round" as const,
  "aria-hidden": true,
  focusable: false,
};

export function CheckIcon({ className }: IconProps) {
  return (
    <svg {...common} className={className}>
      <path d="M12 25l8 8 16-18" />
    </svg>
  );
}

export function CrossIcon({ className }: IconProps) {
  return (
    <svg {...common} className={className}>
      <path d="M15 15l18 18M33 15L15 33" />
    </svg>
  );
}

export function ClockIcon({ className }: IconProps) {
  return (
    <svg {...common} strokeWidth={4} className={className}>
      <circle cx="24" cy="24" r="15" />
      <path d="M24 15v10l6 4" />
    </svg>
  );
}

export function BanIcon({ className }: IconProps) {
  return (
    <svg {...common} strokeWidth={4} className={className}>
      <circle cx="24" cy="24" r="15" />
      <path d="M13.5 34.5l21-21" />
    </svg>
  );
}

export function AlertIcon({ className }: IconProps) {
  return (
    <svg {...common} className={className}>
      <path d="M24 13v14" />
      <path d="M24 35h.01" strokeWidth={6} />
    </svg>
  );
}

export function PhoneScanIcon({ className }: IconProps) {
  return (
    <svg {...common} strokeWidth={3} className={className}>
      <rect x="14" y="5" width="20" height="38" rx="4" />
      <path d="M21 37h6" />
      <path d="M19 14h4v4h-4zM25 14h4v4h-4zM19 20h4v4h-4zM27 22h2v2" strokeWidth={2} />
    </svg>
  );
}

export function WifiOffIcon({ className }: IconProps) {
  return (
    <svg {...common} strokeWidth={3.5} className={className}>
      <path d="M8 18a24 24 0 0 1 32 0M14 25a15 15 0 0 1 20 0M20 32a6 6 0 0 1 8 0" />
      <path d="M9 9l30 30" />
    </svg>
  );
}
