using System.Runtime.CompilerServices;
using Herald.Core.Knowledge;
using Herald.Core.Knowledge.Definitions;

namespace Herald.Knowledge;

/// <summary>
/// Where the loader found each statement and safety rule of a knowledge base it built. The compiled
/// entities carry no locations, yet later checks (<see cref="SeedQuoteVerifier"/>) should point authors at
/// the line to fix.
/// </summary>
internal static class DefinitionLocations
{
    private sealed record Locations(
        IReadOnlyDictionary<string, SourceLocation> Statements,
        IReadOnlyDictionary<string, SourceLocation> SafetyRules);

    private static readonly ConditionalWeakTable<KnowledgeBase, Locations> Table = new();

    public static void Remember(KnowledgeBase kb, KnowledgeDocument document) =>
        Table.AddOrUpdate(kb, new Locations(
            ById(document.StatementFiles.SelectMany(f => f.Statements), s => s.Id),
            ById(document.SafetyRules, r => r.Id)));

    public static SourceLocation? OfStatement(KnowledgeBase kb, string id) =>
        Table.TryGetValue(kb, out var locations) ? locations.Statements.GetValueOrDefault(id) : null;

    public static SourceLocation? OfSafetyRule(KnowledgeBase kb, string id) =>
        Table.TryGetValue(kb, out var locations) ? locations.SafetyRules.GetValueOrDefault(id) : null;

    private static Dictionary<string, SourceLocation> ById<T>(IEnumerable<T> items, Func<T, string?> id)
        where T : Located =>
        items
            .Where(i => id(i) is not null && i.Location is not null)
            .GroupBy(i => id(i)!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Location!, StringComparer.Ordinal);
}
