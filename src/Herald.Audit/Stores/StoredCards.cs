using System.Buffers.Binary;
using System.Text.Json;

namespace Herald.Audit.Stores;

/// <summary>
/// How a record keeps its card ids (schema version 5). The ids go in the record's own row (<c>cards</c>, a JSON array
/// in answer order). When they are canonical uuids sharing their first 8 bytes (the card ids of one answer do), that
/// prefix is indexed (<c>card_prefix</c>) and feedback finds the record through it: one index entry per answer. One
/// <c>audit_card</c> row per card, with two index entries each, had become most of the audit's write cost
/// (docs/performance.md). Cards that share no prefix still get their <c>audit_card</c> rows, as every card did before.
/// </summary>
internal readonly record struct StoredCards(string Json, long? Prefix, bool NeedsCardRows)
{
    public static StoredCards Of(IReadOnlyList<string> cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        var json = JsonSerializer.Serialize(cards, AuditJsonContext.Default.IReadOnlyListString);
        if (cards.Count == 0)
        {
            return new StoredCards(json, null, NeedsCardRows: false);
        }

        var prefix = PrefixOf(cards[0]);
        for (var i = 1; i < cards.Count && prefix is not null; i++)
        {
            if (PrefixOf(cards[i]) != prefix)
            {
                prefix = null;
            }
        }

        return new StoredCards(json, prefix, NeedsCardRows: prefix is null);
    }

    /// <summary>
    /// The first 8 bytes of a canonical uuid (lowercase, hyphenated) as a number; null for any other id, which is then
    /// found through <c>audit_card</c> alone.
    /// </summary>
    public static long? PrefixOf(string cardId)
    {
        if (cardId.Length != 36 || cardId.AsSpan().IndexOfAnyInRange('A', 'F') >= 0 || !Guid.TryParseExact(cardId, "D", out var uuid))
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        uuid.TryWriteBytes(bytes, bigEndian: true, out _);
        return BinaryPrimitives.ReadInt64BigEndian(bytes);
    }

    /// <summary>
    /// A LIKE pattern that matches a <c>cards</c> column holding <paramref name="cardId"/> exactly: a canonical uuid
    /// stands in the JSON array between quotes and has no character LIKE treats specially.
    /// </summary>
    public static string ContainsPattern(string cardId) => "%\"" + cardId + "\"%";

    public static IReadOnlyList<string> Read(string json) =>
        JsonSerializer.Deserialize(json, AuditJsonContext.Default.IReadOnlyListString)
        ?? throw new InvalidDataException("An audit record's cards are null.");
}
