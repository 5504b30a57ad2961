import "server-only";
import type { Clock } from "@/lib/clock";
import type {
  DeviceRenameRequest,
  DeviceView,
  DisplayHealth,
  TerminalCreateRequest,
  TerminalPatchRequest,
  TerminalView,
} from "@/lib/contracts/terminals";
import type { DisplayDevice } from "@/lib/entities/display";
import { DomainError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import { FIRST_STORE_ID } from "@/lib/entities/retail-store";
import type { Terminal } from "@/lib/entities/terminal";
import type { CountersRepository, SalesRepository } from "@/lib/store/repositories";
import { createTerminal, newDisplayToken } from "./terminals";

/** A paired display as the API shows it: never its token hash. */
export const deviceView = (device: DisplayDevice): DeviceView => ({
  id: device.id,
  label: device.label,
  createdAt: device.createdAt,
  revokedAt: device.revokedAt ?? null,
});

/** Counters: their names and languages, their display links and paired displays. */
export class TerminalService {
  constructor(
    private readonly deps: {
      counters: CountersRepository;
      /** Whether a terminal is busy with a sale. */
      sales: SalesRepository;
      clock: Clock;
      log: Logger;
      publicUrl: string;
      terminalChanged: (terminalId: string) => Promise<void>;
      /** Display health (lib/display/display-presence.ts); none known when not given. */
      displaysOf?: (terminalId: string) => Promise<DisplayHealth[]>;
      /**
       * The store a new terminal joins: the one named (a 422 when there is none such), else the
       * first store. Not given: the store is left to the store's default (store 1).
       */
      storeFor?: (storeId: string | undefined) => Promise<string>;
    },
  ) {}

  private async view(terminal: Terminal): Promise<TerminalView> {
    const active = await this.deps.sales.getActiveSale(terminal.id);
    return {
      id: terminal.id,
      name: terminal.name,
      posId: terminal.posId,
      language: terminal.language,
      currency: terminal.currency,
      storeId: terminal.storeId ?? FIRST_STORE_ID,
      chime: terminal.chime !== false,
      displayUrl: `${this.deps.publicUrl}/display/${encodeURIComponent(terminal.id)}?token=${encodeURIComponent(terminal.displayToken)}`,
      activeSaleId: active?.id ?? null,
      displays: (await this.deps.displaysOf?.(terminal.id)) ?? [],
    };
  }

  async getOrThrow(id: string): Promise<Terminal> {
    const terminal = await this.deps.counters.getTerminal(id);
    if (!terminal) throw new DomainError("notFound", `No terminal with id ${id}`);
    return terminal;
  }

  async list(): Promise<TerminalView[]> {
    return Promise.all((await this.deps.counters.listTerminals()).map((terminal) => this.view(terminal)));
  }

  async get(id: string): Promise<TerminalView> {
    return this.view(await this.getOrThrow(id));
  }

  async create(input: TerminalCreateRequest, by: string): Promise<TerminalView> {
    const storeId = this.deps.storeFor ? await this.deps.storeFor(input.storeId) : input.storeId;
    const terminal = await createTerminal(
      this.deps.counters,
      { ...input, ...(storeId ? { storeId } : {}) },
      new Date(this.deps.clock.now()).toISOString(),
    );
    this.deps.log.info("Terminal added", { terminalId: terminal.id, storeId: terminal.storeId, by });
    return this.view(terminal);
  }

  async update(id: string, patch: TerminalPatchRequest): Promise<TerminalView> {
    const terminal = await this.getOrThrow(id);
    const updated: Terminal = {
      ...terminal,
      ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)),
    };
    await this.deps.counters.saveTerminal(updated);
    await this.deps.terminalChanged(id);
    return this.view(updated);
  }

  /**
   * Replaces the display link's token. The old link stops opening the display at once (display
   * access reads the token from the store on every request, and open streams re-check at their
   * next heartbeat). Paired displays keep working: their device cookie is not the link token.
   */
  async replaceDisplayLink(id: string, by: string): Promise<TerminalView> {
    if (!(await this.deps.counters.setDisplayToken(id, newDisplayToken())))
      throw new DomainError("notFound", `No terminal with id ${id}`);
    this.deps.log.info("Display link replaced", { terminalId: id, by });
    return this.get(id);
  }

  async devices(id: string): Promise<DeviceView[]> {
    await this.getOrThrow(id);
    return (await this.deps.counters.listDevices(id)).map(deviceView);
  }

  /** A paired display of this terminal. Only through its own terminal: another terminal's device id is as unknown as a made-up one. */
  private async deviceOf(id: string, deviceId: string): Promise<DisplayDevice> {
    const device = (await this.deps.counters.listDevices(id)).find((candidate) => candidate.id === deviceId);
    if (!device) throw new DomainError("notFound", `No paired display ${deviceId} on terminal ${id}`);
    return device;
  }

  /** Names a paired display the way the shop knows it ("Screen by the door"), not as it was paired. */
  async renameDevice(id: string, deviceId: string, { label }: DeviceRenameRequest): Promise<DeviceView> {
    const device = await this.deviceOf(id, deviceId);
    if (!(await this.deps.counters.renameDevice(device.id, label)))
      throw new DomainError("notFound", `No paired display ${deviceId} on terminal ${id}`);
    this.deps.log.info("Display renamed", { terminalId: id, deviceId });
    return deviceView({ ...device, label });
  }

  async revokeDevice(id: string, deviceId: string): Promise<void> {
    const device = await this.deviceOf(id, deviceId);
    await this.deps.counters.revokeDevice(device.id, new Date(this.deps.clock.now()).toISOString());
    this.deps.log.info("Display revoked", { terminalId: id, deviceId });
  }
}
