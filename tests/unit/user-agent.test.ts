import { describe, expect, it } from "vitest";
import { describeUserAgent } from "@/components/admin/user-agent";

describe("describeUserAgent", () => {
  it("names the browser and the system, not the engine tokens every browser sends", () => {
    const cases: [string, string][] = [
      [
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
        "Chrome on Linux",
      ],
      [
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
        "Chromium (headless) on Linux",
      ],
      [
        "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Safari on iPad",
      ],
      [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0",
        "Edge on Windows",
      ],
      [
        "Mozilla/5.0 (Linux; Android 14; SM-T220) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0 Safari/537.36",
        "Samsung Internet on Android",
      ],
      ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on macOS"],
    ];
    for (const [userAgent, name] of cases) expect(describeUserAgent(userAgent)).toBe(name);
  });

  it("keeps something readable for what it does not know, and nothing for nothing", () => {
    expect(describeUserAgent("KioskTest/1.0")).toBe("KioskTest/1.0");
    expect(describeUserAgent("")).toBeUndefined();
    expect(describeUserAgent(null)).toBeUndefined();
  });
});
