import "server-only";
import { DomainError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import { gatewayErrorStatus, gatewayErrorSummary } from "@/lib/sales/payment-gateway";
import type { CountersRepository, SettingsRepository } from "@/lib/store/repositories";
import type { MerchantQrApi } from "@/lib/vipps/qr-client";
import { FIRST_STORE_ID } from "@/lib/entities/retail-store";

/** A terminal's sticker as the API answers it: the id Vipps knows it by and the text its code holds. */
export interface TerminalSticker {
  merchantQrId: string;
  qrContent: string;
}

const ID_PREFIX = "kassa-";
const settingKey = (terminalId: string) => `sticker.${terminalId}`;

/** One sticker per terminal, for good: derived from the terminal's id, so a scan names its terminal. */
export const merchantQrIdOf = (terminalId: string) => `${ID_PREFIX}${terminalId}`;

/**
 * The sticker at each till: Vipps' merchant callback QR (QR API), made per terminal with the
 * terminal's name as its location (the app shows it on a scan), and kept in the settings so that
 * the print page and a check-in find it.
 */
export class TerminalStickers {
  constructor(
    private readonly deps: {
      counters: CountersRepository;
      settings: SettingsRepository;
      /** The QR API of a store's sales unit (its MSN and keys), as a sale's calls go through its store's. */
      qrOf: (storeId: string) => Promise<MerchantQrApi>;
      log: Logger;
    },
  ) {}

  /** Creates the terminal's sticker at Vipps, or renames it to the terminal's current name. */
  async create(terminalId: string): Promise<TerminalSticker> {
    const terminal = await this.deps.counters.getTerminal(terminalId);
    if (!terminal) throw new DomainError("notFound", `There is no terminal with id ${terminalId}`);
    const merchantQrId = merchantQrIdOf(terminal.id);
    let sticker: TerminalSticker;
    try {
      const qr = await this.deps.qrOf(terminal.storeId ?? FIRST_STORE_ID);
      await qr.putMerchantCallbackQr(merchantQrId, terminal.name);
      const made = await qr.getMerchantCallbackQr(merchantQrId);
      sticker = { merchantQrId, qrContent: made.qrContent };
    } catch (error) {
      const status = gatewayErrorStatus(error);
      this.deps.log.warn("Creating the terminal's sticker at Vipps failed", { terminalId, err: error });
      throw new DomainError(
        status !== undefined && status >= 400 && status < 500 ? "paymentProvider" : "paymentProviderUnavailable",
        `Vipps did not create the sticker's QR code: ${gatewayErrorSummary(error)}`,
      );
    }
    await this.deps.settings.setSetting(settingKey(terminal.id), JSON.stringify(sticker));
    return sticker;
  }

  /** The sticker made for this terminal, if one was. */
  async get(terminalId: string): Promise<TerminalSticker | undefined> {
    const stored = await this.deps.settings.getSetting(settingKey(terminalId));
    return stored ? (JSON.parse(stored) as TerminalSticker) : undefined;
  }

  /** The terminal whose sticker this is; none for a QR we did not make. */
  async terminalOf(merchantQrId: string): Promise<string | undefined> {
    if (!merchantQrId.startsWith(ID_PREFIX)) return undefined;
    const terminalId = merchantQrId.slice(ID_PREFIX.length);
    const sticker = await this.get(terminalId);
    return sticker?.merchantQrId === merchantQrId ? terminalId : undefined;
  }
}
