using System.Text;
using Herald.Core.Knowledge;
using Herald.Core.Knowledge.Definitions;

namespace Herald.Knowledge;

/// <summary>
/// Checks that every quote in the knowledge base is the seed's own words. The seeds are PDF extractions
/// (line breaks anywhere, hyphenated words split, curly quotes), so both sides are compared as lowercase
/// letters and digits only; "…" or "..." in a quote marks an omission. Each part must appear in the seed;
/// their order is not checked, because interleaved PDF columns can put a later part of a passage before
/// an earlier one (seed 001 does this).
/// </summary>
public static class SeedQuoteVerifier
{
    private static readonly string[] Ellipses = ["…", "..."];

    public static IReadOnlyList<KnowledgeError> Verify(KnowledgeBase kb, string seedsDirectory)
    {
        if (!Directory.Exists(seedsDirectory))
        {
            return [new KnowledgeError(null, $"the seeds directory '{seedsDirectory}' does not exist")];
        }

        var quotes = kb.Statements
            .Where(s => s.Quote.Length > 0)
            .Select(s => new Quoted($"statement {s.Id}", s.Source, s.Quote, DefinitionLocations.OfStatement(kb, s.Id)))
            .Concat(kb.SafetyRules
                .Where(r => !string.IsNullOrEmpty(r.Quote))
                .Select(r => new Quoted($"safety rule {r.Id}", r.Source, r.Quote!, DefinitionLocations.OfSafetyRule(kb, r.Id))));

        var seeds = new Dictionary<string, string?>(StringComparer.Ordinal);
        var errors = new List<KnowledgeError>();
        foreach (var quoted in quotes)
        {
            if (quoted.Source.File is not { } file)
            {
                continue;
            }

            if (!seeds.TryGetValue(file, out var seed))
            {
                var path = Path.Combine(seedsDirectory, file);
                seeds[file] = seed = File.Exists(path) ? Normalise(File.ReadAllText(path)) : null;
            }

            if (seed is null)
            {
                errors.Add(new KnowledgeError(quoted.Location,
                    $"{quoted.What}: source {quoted.Source.Id} names seed file '{file}', which is not in {seedsDirectory}"));
            }
            else if (FindMismatch(seed, quoted.Quote) is { } mismatch)
            {
                errors.Add(new KnowledgeError(quoted.Location, $"{quoted.What}: quote not found in seed file '{file}': {mismatch}"));
            }
        }

        return errors;
    }

    private sealed record Quoted(string What, Source Source, string Quote, SourceLocation? Location);

    /// <summary>Lowercase letters and digits only: what survives PDF extraction unchanged.</summary>
    private static string Normalise(string text)
    {
        var normalised = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                normalised.Append(char.ToLowerInvariant(c));
            }
        }

        return normalised.ToString();
    }

    /// <summary>Describes the first part of the quote the seed lacks, or null when all are found.</summary>
    private static string? FindMismatch(string seed, string quote)
    {
        foreach (var fragment in quote.Split(Ellipses, StringSplitOptions.TrimEntries))
        {
            var needle = Normalise(fragment);
            if (needle.Length > 0 && !seed.Contains(needle, StringComparison.Ordinal))
            {
                return DescribeMissing(seed, fragment, 0);
            }
        }

        return null;
    }

    /// <summary>Names the fragment and, to help find a typo, the word where the seed stops matching it.</summary>
    private static string DescribeMissing(string seed, string fragment, int position)
    {
        var words = fragment.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        bool Found(int count) => seed.IndexOf(Normalise(string.Join(' ', words[..count])), position, StringComparison.Ordinal) >= 0;

        // Prefixes that occur form an unbroken run from the start, so the longest one can be found by bisection.
        int low = 0, high = words.Length - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (Found(middle))
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        var description = $"\"{fragment}\"";
        return low == 0
            ? description
            : $"{description} (the seed has \"{string.Join(' ', words[Math.Max(0, low - 6)..low])}\" but not the next word \"{words[low]}\")";
    }
}
