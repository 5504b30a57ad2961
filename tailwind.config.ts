// Tailwind 4 is configured CSS-first in app/globals.css; this file holds the design tokens that
// the CSS loads with `@config`, so the brand colours live in one typed place.
const config = {
  theme: {
    extend: {
      colors: {
        brand: { DEFAULT: "#ff5b24", dark: "#c73d0d", ink: "#1e1b2e" },
        success: "#0b7a3b",
        danger: "#b3261e",
      },
      fontFamily: {
        display: ["ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
      },
    },
  },
};

export default config;
