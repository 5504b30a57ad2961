"use client";

import useSWR from "swr";
import type { AuditEntryView } from "@/lib/contracts/staff";
import { swrFetcher } from "./api";
import { AuditTable } from "./audit-view";
import { useAdminI18n } from "./i18n";
import type { Page } from "./types";
import { Card } from "./ui";

/** Who did what to this sale (the audit). Hidden from whoever may not read the audit: the server says 403. */
export function SaleAudit({ saleId }: { saleId: string }) {
  const { t } = useAdminI18n();
  const audit = useSWR<Page<AuditEntryView>>(`/api/v1/audit?saleId=${encodeURIComponent(saleId)}`, swrFetcher, {
    refreshInterval: 5_000,
    shouldRetryOnError: false,
  });
  if (!audit.data) return null;
  return (
    <Card>
      <h2 className="mb-3 text-lg font-semibold">{t("auditTitle")}</h2>
      <AuditTable items={audit.data.items} />
    </Card>
  );
}
