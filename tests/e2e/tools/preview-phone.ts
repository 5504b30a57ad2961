/**
 * Screenshots of the simulated customer phone page (a wallet-app screen) for a person to look at:
 * npx tsx tests/e2e/tools/preview-phone.ts [outDir]
 */
import { existsSync, mkdirSync } from "node:fs";
import { chromium, devices } from "playwright";
import { startApp } from "../../support/app-server";

async function main() {
  const outDir = process.argv[2] ?? "tests/artifacts/screenshots";
  mkdirSync(outDir, { recursive: true });
  const app = await startApp();
  const browser = await chromium.launch({
    executablePath: existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined,
    args: ["--no-sandbox", "--disable-background-networking"],
  });
  try {
    const response = await app.api("/api/v1/sales", {
      method: "POST",
      json: {
        terminalId: "pos-1",
        currency: "NOK",
        lines: [
          { name: "Cappuccino", quantity: 2, unitPrice: 4900, taxRate: 1500 },
          { name: "Ear buds", quantity: 1, unitPrice: 42924, taxRate: 2500 },
        ],
      },
    });
    const sale = (await response.json()) as { qr: { url: string } };
    const phone = await browser.newPage({ ...devices["Pixel 7"] });
    await phone.goto(sale.qr.url);
    await phone.screenshot({ path: `${outDir}/phone-01-approve.png` });
    await phone.getByTestId("phone-pay").click();
    await phone.getByTestId("phone-result").waitFor();
    await phone.screenshot({ path: `${outDir}/phone-02-approved.png` });
  } finally {
    await browser.close();
    await app.stop();
  }
}

void main();
