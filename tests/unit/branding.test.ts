/**
 * Shop branding: the SVG check (hostile files refused with a reason, ordinary logos accepted),
 * the logo's type read from its bytes, the accent colour's form and contrast, and the settings
 * service that stores both and hands them to the displays.
 */
import { PNG } from "pngjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accentContrast, accentProblem, contrastRatio, DEFAULT_ACCENT, formatRatio } from "@/lib/branding/colour";
import { declaredLogoType, inspectLogo, LOGO_MAX_BYTES } from "@/lib/branding/logo-format";
import { looksLikeSvg, svgProblem } from "@/lib/branding/svg-check";
import { computeDisplayState } from "@/lib/display/display-state";
import { isDomainError } from "@/lib/errors";
import { readDisplayBrand } from "@/lib/settings/branding-settings";
import { SettingsService } from "@/lib/settings/settings-service";
import { SettingsPatchSchema } from "@/lib/contracts/settings";
import { memoryStore, type TestStore } from "../support/memory-store";
import { COUNTER_1 } from "../support/sale-domain";

const utf8 = (text: string) => new TextEncoder().encode(text);

function png(width: number, height: number): Uint8Array {
  const image = new PNG({ width, height });
  image.data.fill(0xff);
  return new Uint8Array(PNG.sync.write(image));
}

/** The start of a JPEG: SOI, a JFIF APP0 segment and a baseline frame header of the given size. */
function jpeg(width: number, height: number): Uint8Array {
  const app0 = [
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
  ];
  const sof0 = [
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x03,
    1,
    0x22,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
  ];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof0, 0xff, 0xd9]);
}

const BENIGN_SVGS: Record<string, string> = {
  plain:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#ff5b24"/></svg>',
  "with an XML declaration, comments and a BOM":
    '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- Kafé Solsiden -->\n<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><title>Kafé &amp; bakeri</title><text x="0" y="30" font-family="serif">Solsiden &#9728;</text></svg>\n',
  "gradients, a clip path and uses of its own parts":
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 20 20"><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#f60"/></linearGradient><clipPath id="c"><rect width="20" height="20" rx="4"/></clipPath><path id="p" d="M0 0h10v10z"/></defs><g clip-path="url(#c)" style="fill: url(\'#g\')"><use xlink:href="#p"/><use href="#p" x="10"/></g></svg>',
  "a style element with CDATA":
    '<svg xmlns="http://www.w3.org/2000/svg"><style><![CDATA[ .a { fill: #123456; stroke: url(#g) } ]]></style><rect class="a" width="4" height="4"/></svg>',
  "Inkscape's namespaced metadata":
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:version="1.3"><sodipodi:namedview id="base" pagecolor="#ffffff"/><metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata><path d="M1 1L9 9" stroke="#000"/></svg>',
  "an animation of a colour":
    '<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"><animate attributeName="fill" values="#f00;#0f0" dur="2s" repeatCount="indefinite"/></rect></svg>',
  "a link within the file":
    '<svg xmlns="http://www.w3.org/2000/svg"><a href="#top"><rect id="top" width="3" height="3"/></a></svg>',
};

const HOSTILE_SVGS: Record<string, [string, RegExp]> = {
  "a script element": ['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', /<script> element/],
  "a script element in capitals with a prefix": [
    '<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:SCRIPT>alert(1)</svg:SCRIPT></svg:svg>',
    /<svg:SCRIPT> element/,
  ],
  "a self-closing script with a source": [
    '<svg xmlns="http://www.w3.org/2000/svg"><script href="#x"/></svg>',
    /<script> element/,
  ],
  "an onload handler": [
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
    /event-handler attribute \(onload/,
  ],
  "an onclick handler in capitals": [
    '<svg xmlns="http://www.w3.org/2000/svg"><rect ONCLICK="alert(1)"/></svg>',
    /event-handler attribute/,
  ],
  "a javascript: link": [
    '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
    /external reference/,
  ],
  "a javascript: URL hidden by entities and whitespace": [
    '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(#a)" class="&#x6A;ava&#9;script:alert(1)"/></svg>',
    /javascript: URL/,
  ],
  "a javascript: URL in an animation's values": [
    '<svg xmlns="http://www.w3.org/2000/svg"><a href="#a"><set attributeName="fill" to="javascript:alert(1)"/></a></svg>',
    /javascript: URL/,
  ],
  "an animation that rewrites a link": [
    '<svg xmlns="http://www.w3.org/2000/svg"><a href="#a"><animate attributeName="href" values="#a;#b"/></a></svg>',
    /animation of href/,
  ],
  "an animation that rewrites a prefixed link": [
    '<svg xmlns="http://www.w3.org/2000/svg"><a href="#a"><set attributeName="xlink:href" to="#b"/></a></svg>',
    /animation of xlink:href/,
  ],
  "a foreignObject": [
    '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject></svg>',
    /<foreignObject> element/,
  ],
  "an iframe": ['<svg xmlns="http://www.w3.org/2000/svg"><iframe/></svg>', /<iframe> element/],
  "an external image": [
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/pixel.png"/></svg>',
    /external reference \(href="https:/,
  ],
  "an external xlink:href": [
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="other.svg#logo"/></svg>',
    /external reference \(xlink:href/,
  ],
  "a data: URL image": [
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/></svg>',
    /external reference/,
  ],
  "a fill from another file": [
    '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://example.com/p.svg#g)"/></svg>',
    /external reference url\(/,
  ],
  "a style element importing CSS": [
    '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://example.com/a.css);</style></svg>',
    /@import/,
  ],
  "a style element loading a font": [
    '<svg xmlns="http://www.w3.org/2000/svg"><style>@font-face { src: url("https://example.com/f.woff") }</style></svg>',
    /external reference url/,
  ],
  "a style attribute with a background image": [
    '<svg xmlns="http://www.w3.org/2000/svg"><rect style="background:url(//example.com/x)"/></svg>',
    /external reference url/,
  ],
  "a DOCTYPE with an entity": [
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>',
    /DOCTYPE/,
  ],
  "an undeclared entity": [
    '<svg xmlns="http://www.w3.org/2000/svg"><text>&nbsp;</text></svg>',
    /entity reference \(&nbsp;\)/,
  ],
  "a style sheet processing instruction": [
    '<?xml-stylesheet href="https://example.com/a.css"?><svg xmlns="http://www.w3.org/2000/svg"/>',
    /processing instruction/,
  ],
  "a CSS escape spelling url": [
    '<svg xmlns="http://www.w3.org/2000/svg"><style>rect { fill: u\\72l(https://example.com/p.svg#g) }</style></svg>',
    /CSS escape/,
  ],
  "a CSS escape in a style attribute": [
    '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:u\\72l(//example.com/x)"/></svg>',
    /CSS escape/,
  ],
  "xml:base": [
    '<svg xmlns="http://www.w3.org/2000/svg" xml:base="https://example.com/"><use href="#a"/></svg>',
    /xml:base/,
  ],
  "HTML, not SVG": ["<html><body><script>alert(1)</script></body></html>", /outermost element/],
  "an unclosed element": ['<svg xmlns="http://www.w3.org/2000/svg"><g>', /never closed/],
  "mismatched tags": ['<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', /does not close/],
  "an unquoted attribute": ["<svg xmlns=http://www.w3.org/2000/svg></svg>", /quoted value/],
  "a repeated attribute": [
    '<svg xmlns="http://www.w3.org/2000/svg"><a href="#a" href="javascript:alert(1)"/></svg>',
    /twice|external/,
  ],
  "a second root after the svg": [
    '<svg xmlns="http://www.w3.org/2000/svg"/><script>alert(1)</script>',
    /second element|<script>/,
  ],
};

describe("the SVG check", () => {
  for (const [name, text] of Object.entries(BENIGN_SVGS)) {
    it(`accepts a logo with ${name}`, () => {
      expect(looksLikeSvg(text)).toBe(true);
      expect(svgProblem(text)).toBeUndefined();
    });
  }

  for (const [name, [text, reason]] of Object.entries(HOSTILE_SVGS)) {
    it(`refuses ${name}, saying why`, () => {
      expect(svgProblem(text)).toMatch(reason);
    });
  }
});

describe("the SVG check's cost", () => {
  /** One <path> with `count` distinct attributes: the shape of the file that stalled the event loop. */
  const manyAttributes = (count: number) =>
    `<svg xmlns="http://www.w3.org/2000/svg"><path ${Array.from({ length: count }, (_, i) => `data-a${i}="1"`).join(" ")}/></svg>`;
  const fastest = (text: string) => {
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      expect(svgProblem(text)).toBeUndefined();
      best = Math.min(best, performance.now() - started);
    }
    return best;
  };

  it("costs about the same for 24,000 attributes on one element as for 24,000 elements of one attribute", () => {
    // The same amount of text either way: a check that rescans the rest of the file per attribute
    // took 1.6 s on the first (forty times the second); a linear one takes about as long on both.
    // Compared in one run on one machine, so a loaded machine slows both alike.
    const elements = (count: number) =>
      `<svg xmlns="http://www.w3.org/2000/svg">${Array.from({ length: count }, (_, i) => `<path data-a${i}="1"/>`).join("")}</svg>`;
    fastest(manyAttributes(2_000));
    fastest(elements(2_000));
    const oneElement = fastest(manyAttributes(24_000));
    const manyElements = fastest(elements(24_000));
    expect(oneElement / Math.max(manyElements, 1)).toBeLessThan(5);
  });

  it("still refuses a repeated attribute among thousands", () => {
    const text = manyAttributes(5_000).replace("/></svg>", ' data-a4999="2"/></svg>');
    expect(svgProblem(text)).toMatch(/data-a4999 twice/);
  });
});

describe("the logo's type, from its bytes", () => {
  it("knows a PNG and a JPEG by their signatures, and reads their size", () => {
    expect(inspectLogo(png(40, 20))).toEqual({ contentType: "image/png", width: 40, height: 20 });
    expect(inspectLogo(jpeg(300, 120))).toEqual({ contentType: "image/jpeg", width: 300, height: 120 });
    expect(inspectLogo(utf8(BENIGN_SVGS.plain as string))).toEqual({ contentType: "image/svg+xml" });
  });

  const refusal = (bytes: Uint8Array, declared?: Parameters<typeof inspectLogo>[1]) => {
    try {
      inspectLogo(bytes, declared);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      expect(error.code).toBe("validation");
      return error.options.errors?.[0];
    }
    throw new Error("accepted");
  };

  it("refuses what the bytes are not, whatever the client says", () => {
    expect(refusal(utf8("GIF89a……"))).toEqual({
      field: "logo",
      reason: expect.stringMatching(/not a PNG, JPEG or SVG/),
    });
    expect(refusal(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toEqual({
      field: "logo",
      reason: expect.stringMatching(/not a PNG/),
    });
    expect(refusal(new Uint8Array(0))?.reason).toMatch(/missing/);
    expect(refusal(utf8("<html><svg></svg></html>"))?.reason).toMatch(/not a PNG, JPEG or SVG/);
    // A PNG sent as SVG, or an SVG sent as PNG: refused, never stored under the wrong type.
    expect(refusal(png(4, 4), "image/svg+xml")).toEqual({
      field: "Content-Type",
      reason: "the body is a PNG image, not image/svg+xml",
    });
    expect(refusal(utf8(BENIGN_SVGS.plain as string), "image/png")?.reason).toBe(
      "the body is an SVG image, not image/png",
    );
  });

  it("refuses damaged headers, images too large to decode and files over 256 KiB", () => {
    const damaged = png(4, 4);
    damaged.set(utf8("IHDX"), 12);
    expect(refusal(damaged)?.reason).toMatch(/damaged/);
    expect(refusal(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))?.reason).toMatch(/damaged/);
    expect(refusal(png(5000, 10))?.reason).toMatch(/5000×10 pixels; at most 4096/);
    expect(refusal(jpeg(100, 9000))?.reason).toMatch(/100×9000 pixels/);
    const big = new Uint8Array(LOGO_MAX_BYTES + 1);
    big.set(png(4, 4));
    expect(refusal(big)?.reason).toMatch(/at most 262144/);
  });

  it("refuses a hostile SVG with the SVG check's reason", () => {
    expect(refusal(utf8(HOSTILE_SVGS["an onload handler"]?.[0] as string))?.reason).toMatch(
      /an SVG with an event-handler attribute \(onload/,
    );
    // A DOCTYPE is still recognised as an SVG, so the reason names the DOCTYPE.
    expect(refusal(utf8(HOSTILE_SVGS["a DOCTYPE with an entity"]?.[0] as string))?.reason).toMatch(/DOCTYPE/);
  });

  it("takes the three image types or octet-stream as the declared type, and nothing else", () => {
    expect(declaredLogoType("image/png")).toBe("image/png");
    expect(declaredLogoType("Image/SVG+XML; charset=utf-8")).toBe("image/svg+xml");
    expect(declaredLogoType("application/octet-stream")).toBeUndefined();
    expect(declaredLogoType(null)).toBeUndefined();
    expect(() => declaredLogoType("text/html")).toThrow(/image\/png, image\/jpeg or image\/svg\+xml, not text\/html/);
    expect(() => declaredLogoType("image/gif")).toThrow(/not image\/gif/);
  });
});

describe("the accent colour", () => {
  it("measures contrast as WCAG does", () => {
    expect(contrastRatio("#ffffff", "#000000")).toBeCloseTo(21, 5);
    expect(contrastRatio("#000000", "#000000")).toBe(1);
    expect(formatRatio(accentContrast(DEFAULT_ACCENT))).toBe("5.4");
  });

  it("takes light colours and refuses dark ones against the display's background, naming the ratio", () => {
    expect(accentProblem(DEFAULT_ACCENT)).toBeUndefined();
    expect(accentProblem("#ffd400")).toBeUndefined();
    expect(accentProblem("#2fbf71")).toBeUndefined();
    expect(accentProblem("#1a237e")).toMatch(
      /too dark for the display: its contrast against the display's dark background \(#1e1b2e\) is 1\.\d:1 and must be at least 3:1/,
    );
    expect(accentProblem("#5a3fd1")).toMatch(/too dark/);
    expect(accentProblem("red")).toMatch(/#rrggbb/);
    expect(accentProblem("#ff5b2")).toMatch(/#rrggbb/);
  });

  it("is checked for form by the PATCH schema, which also takes null for the default", () => {
    expect(SettingsPatchSchema.safeParse({ accentColor: "#A1B2C3" }).success).toBe(true);
    expect(SettingsPatchSchema.safeParse({ accentColor: null }).success).toBe(true);
    expect(SettingsPatchSchema.safeParse({ accentColor: "rgb(1,2,3)" }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ accentColour: "#ffffff" }).success).toBe(false);
  });
});

describe("the settings service's branding", () => {
  let store: TestStore;
  let settings: SettingsService;
  let changes: number;

  beforeEach(async () => {
    store = await memoryStore();
    changes = 0;
    settings = new SettingsService({ settings: store, settingsChanged: async () => void changes++ });
  });

  afterEach(async () => {
    await store.close();
  });

  it("has no branding at first", async () => {
    expect(await settings.get()).toMatchObject({ accentColor: null, logo: null });
    expect(await settings.logo()).toBeUndefined();
    expect(await readDisplayBrand(store)).toBeUndefined();
  });

  it("stores an accent in lower case, refuses a dark one without writing anything, and goes back to the default", async () => {
    expect((await settings.update({ accentColor: "#FFD400" })).accentColor).toBe("#ffd400");
    expect(changes).toBe(1);
    await expect(settings.update({ shopName: "Mørkt", accentColor: "#101010" })).rejects.toMatchObject({
      code: "validation",
      options: { errors: [{ field: "accentColor", reason: expect.stringMatching(/too dark/) }] },
    });
    expect(await settings.get()).toMatchObject({ shopName: "Kassa", accentColor: "#ffd400" });
    expect(changes).toBe(1);
    expect(await readDisplayBrand(store)).toEqual({ accent: "#ffd400" });
    expect((await settings.update({ accentColor: null })).accentColor).toBeNull();
    expect(await readDisplayBrand(store)).toBeUndefined();
  });

  it("stores a logo with its type and version, serves its bytes, and removes it", async () => {
    const bytes = png(8, 8);
    const updated = await settings.setLogo(bytes, "image/png");
    expect(updated.logo).toEqual({
      url: expect.stringMatching(/^\/api\/display\/branding\/logo\?v=[0-9a-f]{20}$/),
      contentType: "image/png",
      size: bytes.byteLength,
    });
    expect(changes).toBe(1);
    const stored = await settings.logo();
    expect(stored?.contentType).toBe("image/png");
    expect(Array.from(stored?.bytes ?? [])).toEqual(Array.from(bytes));
    expect(await readDisplayBrand(store)).toEqual({ logoUrl: updated.logo?.url });

    const svg = await settings.setLogo(utf8(BENIGN_SVGS.plain as string));
    expect(svg.logo?.contentType).toBe("image/svg+xml");
    expect(svg.logo?.url).not.toBe(updated.logo?.url);

    await expect(settings.setLogo(utf8(HOSTILE_SVGS["a script element"]?.[0] as string))).rejects.toMatchObject({
      code: "validation",
    });
    expect((await settings.get()).logo?.url).toBe(svg.logo?.url);

    await settings.removeLogo();
    expect((await settings.get()).logo).toBeNull();
    expect(await settings.logo()).toBeUndefined();
    expect(changes).toBe(3);
  });

  it("puts the branding into the display state only when there is some", async () => {
    const nowMs = Date.parse("2026-05-01T10:00:00.000Z");
    expect(computeDisplayState({ terminal: COUNTER_1, shopName: "Shop", nowMs }).terminal).not.toHaveProperty("brand");
    const brand = { accent: "#ffd400", logoUrl: "/api/display/branding/logo?v=abc" };
    expect(computeDisplayState({ terminal: COUNTER_1, shopName: "Shop", nowMs, brand }).terminal.brand).toEqual(brand);
  });
});
