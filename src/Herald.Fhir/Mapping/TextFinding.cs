using System.Text.RegularExpressions;

namespace Herald.Fhir.Mapping;

/// <summary>How a finding reads in a free text: said, denied, said uncertainly (or both ways), or not named at all.</summary>
internal enum Polarity { Absent, Affirmed, Negated, Uncertain }

/// <summary>
/// A small negation and uncertainty reader for the text rules, so "negative for HER2 amplification" or "no evidence of
/// progression" is never read as the finding it names. Each mention of the finding is negated by a cue shortly before
/// it in the same clause ("no", "not", "negative for", "no evidence of", "without", "absence of"), by a cue shortly
/// after it ("not detected", "absent", "negative") or by an "un-"/"non-" prefix. When mentions disagree, or the text
/// says it is unknown, equivocal, indeterminate or suspected, the finding is Uncertain: the caller returns null and
/// the value is reported as unmapped rather than guessed. docs/fhir-mapping.md lists the cues.
/// </summary>
internal static partial class TextFinding
{
    /// <summary>Words before a finding that deny it ("no evidence of" and "negative for" end in these words).</summary>
    private static readonly HashSet<string> CuesBefore = new(StringComparer.Ordinal)
    {
        "no", "not", "without", "absent", "never", "non", "denies", "excluded", "nor",
    };

    /// <summary>
    /// Words that deny what follows only with their preposition: "negative for amplification", "absence of", "free of" —
    /// so "ER negative PR negative HER2 amplified" still says amplified.
    /// </summary>
    private static readonly Dictionary<string, string> CuesBeforeWith = new(StringComparer.Ordinal)
    {
        ["negative"] = "for", ["absence"] = "of", ["free"] = "of",
    };

    /// <summary>Words after a finding that deny it ("amplification not detected", "progression absent").</summary>
    private static readonly HashSet<string> CuesAfter = new(StringComparer.Ordinal)
    {
        "not", "absent", "negative", "undetected", "excluded", "none", "ruled",
    };

    /// <summary>Words that make the whole text uncertain.</summary>
    private static readonly HashSet<string> Uncertainty = new(StringComparer.Ordinal)
    {
        "unknown", "equivocal", "indeterminate", "inconclusive", "uncertain", "unclear", "possible", "possibly",
        "suspected", "suspicious", "questionable", "probable", "probably", "borderline", "pending", "undetermined",
    };

    private const int WindowBefore = 5;
    private const int WindowAfter = 3;

    [GeneratedRegex(@"[.;!?()\[\]\n]|,|\bbut\b|\bhowever\b", RegexOptions.CultureInvariant)]
    private static partial Regex ClauseBreak();

    [GeneratedRegex(@"[a-z0-9+]+(?:-[a-z0-9+]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    /// <summary>True when the text carries a word of uncertainty (unknown, equivocal, indeterminate...).</summary>
    public static bool IsUncertain(string text) => text.Contains('?') || Words(text.ToLowerInvariant()).Any(Uncertainty.Contains);

    /// <summary>How the finding named by any of the stems (lower case word beginnings, e.g. "amplif") reads in the text.</summary>
    public static Polarity Read(string? text, params string[] stems) => Read(text, uncertainIsUnknown: true, stems);

    /// <summary>As Read; uncertainIsUnknown false leaves words of uncertainty to the caller (an ISH "equivocal" is a value).</summary>
    public static Polarity Read(string? text, bool uncertainIsUnknown, params string[] stems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Polarity.Absent;
        }

        var lower = text.ToLowerInvariant();
        if (!Names(lower, stems))
        {
            return Polarity.Absent; // no word can begin a mention: the clauses need not be split
        }

        bool affirmed = false, negated = false;
        foreach (var clause in ClauseBreak().Split(lower))
        {
            var words = Words(clause).ToList();
            for (var i = 0; i < words.Count; i++)
            {
                if (Mention(words, i, stems) is not { } prefixNegated)
                {
                    continue;
                }

                if (prefixNegated || DeniedBefore(words, i) || DeniedAfter(words, i, stems))
                {
                    negated = true;
                }
                else
                {
                    affirmed = true;
                }
            }
        }

        if (!affirmed && !negated)
        {
            return Polarity.Absent;
        }

        if ((affirmed && negated) || (uncertainIsUnknown && IsUncertain(lower)))
        {
            return Polarity.Uncertain;
        }

        return affirmed ? Polarity.Affirmed : Polarity.Negated;
    }

    /// <summary>
    /// Whether the lower-case text holds any stem's first word (up to its first space): every mention holds it, whole, in
    /// one word of the text (after a negating prefix or not), so a text without it has no mention.
    /// </summary>
    public static bool Names(string lower, string[] stems)
    {
        foreach (var stem in stems)
        {
            var space = stem.IndexOf(' ', StringComparison.Ordinal);
            if (lower.AsSpan().Contains(space < 0 ? stem : stem.AsSpan(0, space), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> Words(string text) => Word().Matches(text).Select(m => m.Value);

    /// <summary>
    /// Null when the words from <paramref name="at"/> do not name the finding (a stem may span words: "infusion reaction");
    /// true when they name it with a negating prefix ("unamplified", "non-amplified").
    /// </summary>
    private static bool? Mention(List<string> words, int at, string[] stems)
    {
        var word = words[at];
        var phrase = string.Join(' ', words.Skip(at).Take(4));
        foreach (var stem in stems)
        {
            if (phrase.StartsWith(stem, StringComparison.Ordinal))
            {
                return false;
            }

            foreach (var prefix in NegatingPrefixes)
            {
                if (word.StartsWith(prefix, StringComparison.Ordinal) && !stem.StartsWith(prefix, StringComparison.Ordinal)
                    && phrase[prefix.Length..].StartsWith(stem, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return null;
    }

    private static readonly string[] NegatingPrefixes = ["non-", "non", "un-", "un", "in-", "in"];

    private static bool DeniedBefore(List<string> words, int at)
    {
        for (var j = Math.Max(0, at - WindowBefore); j < at; j++)
        {
            if (CuesBefore.Contains(words[j])
                || (CuesBeforeWith.TryGetValue(words[j], out var preposition) && j + 1 < at && words[j + 1] == preposition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A cue after the finding denies it only when the words between are fillers ("pregnancy test negative",
    /// "amplification was not detected"), so "HER2 amplified ER negative" does not deny the amplification.
    /// </summary>
    private static bool DeniedAfter(List<string> words, int at, string[] stems)
    {
        var first = at + Math.Max(1, stems.Where(stem => string.Join(' ', words.Skip(at)).StartsWith(stem, StringComparison.Ordinal))
            .Select(stem => stem.Count(c => c == ' ') + 1).DefaultIfEmpty(1).Max());
        for (var j = first; j < Math.Min(words.Count, first + WindowAfter); j++)
        {
            if (CuesAfter.Contains(words[j]) || (words[j] == "no" && j == words.Count - 1))
            {
                return true;
            }

            if (!Fillers.Contains(words[j]))
            {
                return false;
            }
        }

        return false;
    }

    private static readonly HashSet<string> Fillers = new(StringComparer.Ordinal)
    {
        "test", "tests", "result", "results", "status", "is", "was", "were", "has", "been", "gene", "her2", "erbb2",
        "reaction", "currently", "by", "fish", "ish", "ihc", "signal", "signals", "be",
    };
}
