using System.Text;
using System.Text.Json;

namespace Herald.Audit;

/// <summary>
/// How many bytes a record puts in the database: every value it stores, as stored (text as UTF-8, the summary and the
/// card ids as their JSON, the compressed input as it is, numbers and times at their width), plus an <c>audit_card</c>
/// row per card when its cards share no prefix (StoredCards). The database's own overhead (row headers, pages,
/// indexes) comes on top; docs/audit.md gives both figures.
/// </summary>
public static class AuditRecordSize
{
    private const int IdBytes = 16;
    private const int TimeBytes = 8;
    private const int NumberBytes = 8;

    public static int Of(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var cards = Stores.StoredCards.Of(record.CardIds);
        var bytes = IdBytes + TimeBytes + NumberBytes + NumberBytes
            + Text(record.Caller) + Text(record.Service) + Text(record.Hook) + Text(record.HookInstance) + Text(record.PatientId)
            + Text(record.Edition) + Text(record.KnowledgeBaseVersion) + Text(record.InputDigest) + Text(record.OutputDigest)
            + Text(SummaryJson(record.Summary)) + (record.Input?.Length ?? 0)
            + Text(cards.Json) + (cards.Prefix is null ? 0 : NumberBytes);
        if (cards.NeedsCardRows)
        {
            foreach (var card in record.CardIds)
            {
                bytes += IdBytes + NumberBytes + Text(card);
            }
        }

        return bytes;
    }

    /// <summary>The <c>summary</c> column: the summary as JSON without the card ids, which the <c>cards</c> column holds.</summary>
    public static string SummaryJson(AuditSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return JsonSerializer.Serialize(StoredSummary.From(summary), AuditJsonContext.Default.StoredSummary);
    }

    private static int Text(string? value) => value is null ? 0 : Encoding.UTF8.GetByteCount(value);
}
