using System.Globalization;

namespace Herald.Fhir.Tests.Reference;

/// <summary>
/// What a reader made of one resource, in a form both readers can be put into: its type, its id, and the
/// elements Herald reads (docs/fhir-mapping.md §1) as "path → value", e.g. <c>code.coding[0].code → 85319-2</c>.
/// Absent elements are absent; values are the text of the JSON value.
/// </summary>
public sealed class Reading(string type, string? id)
{
    private readonly SortedDictionary<string, string> elements = new(StringComparer.Ordinal);

    public string Type { get; } = type;

    public string? Id { get; } = id;

    public IReadOnlyDictionary<string, string> Elements => elements;

    public void Add(string path, string? value)
    {
        if (value is not null)
        {
            elements[path] = value;
        }
    }

    public void Add(string path, decimal? value) => Add(path, value?.ToString(CultureInfo.InvariantCulture));

    public void Add(string path, int? value) => Add(path, value?.ToString(CultureInfo.InvariantCulture));

    public void Add(string path, bool? value) => Add(path, value is null ? null : value.Value ? "true" : "false");

    /// <summary>The differences from another reading, one line each; empty when they read the same.</summary>
    public IReadOnlyList<string> DifferencesFrom(Reading other)
    {
        var differences = new List<string>();
        if (Type != other.Type || Id != other.Id)
        {
            differences.Add($"resource: {Type}/{Id} vs {other.Type}/{other.Id}");
        }

        foreach (var path in elements.Keys.Union(other.elements.Keys).Order(StringComparer.Ordinal))
        {
            var mine = elements.GetValueOrDefault(path);
            var theirs = other.elements.GetValueOrDefault(path);
            if (mine != theirs)
            {
                differences.Add($"{path}: {Show(mine)} vs {Show(theirs)}");
            }
        }

        return differences;
    }

    public override string ToString() => $"{Type}/{Id}: " + string.Join(", ", elements.Select(e => $"{e.Key}={Shorten(e.Value)}"));

    private static string Show(string? value) => value is null ? "(absent)" : $"'{Shorten(value)}'";

    private static string Shorten(string value) => value.Length > 60 ? value[..57] + "..." : value;
}

/// <summary>How one reader took one resource of an input: read, or refused with its reasons.</summary>
public sealed record Outcome(Reading? Read, IReadOnlyList<string> Refusals)
{
    public bool Refused => Read is null;

    public static Outcome Kept(Reading reading) => new(reading, []);

    public static Outcome Refuse(IReadOnlyList<string> reasons) => new(null, reasons);
}
