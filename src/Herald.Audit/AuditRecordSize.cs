using System.Text;
using System.Text.Json;

namespace Herald.Audit;

/// <summary>
/// How many bytes a record puts in the database: every value it stores, as stored (text as UTF-8, the summary as its
/// JSON, the compressed input as it is, numbers and times at their width), plus its <c>audit_card</c> rows. The
/// database's own overhead (row headers, pages, indexes) comes on top; docs/audit.md gives both figures.
/// </summary>
public static class AuditRecordSize
{
    private const int IdBytes = 16;
    private const int TimeBytes = 8;
    private const int NumberBytes = 8;

    public static int Of(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bytes = IdBytes + TimeBytes + NumberBytes + NumberBytes
            + Text(record.Caller) + Text(record.Service) + Text(record.Hook) + Text(record.HookInstance) + Text(record.PatientId)
            + Text(record.Edition) + Text(record.KnowledgeBaseVersion) + Text(record.InputDigest) + Text(record.OutputDigest)
            + Text(SummaryJson(record.Summary)) + (record.Input?.Length ?? 0);
        foreach (var card in record.CardIds)
        {
            bytes += IdBytes + NumberBytes + Text(card);
        }

        return bytes;
    }

    /// <summary>The <c>summary</c> column: the summary as JSON without the card ids, which <c>audit_card</c> holds.</summary>
    public static string SummaryJson(AuditSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return JsonSerializer.Serialize(StoredSummary.From(summary), AuditJsonContext.Default.StoredSummary);
    }

    private static int Text(string? value) => value is null ? 0 : Encoding.UTF8.GetByteCount(value);
}
