namespace Herald.Core;

/// <summary>"Did you mean …?": the closest candidate by edit distance, if it is close enough to be a typo.</summary>
public static class NameSuggestions
{
    /// <param name="maxDistance">How many edits still count as a typo; by default fewer for short words.</param>
    public static string? Closest(string input, IEnumerable<string> candidates, int? maxDistance = null)
    {
        var word = input.Trim().ToLowerInvariant();
        if (word.Length == 0)
        {
            return null;
        }

        // Short words tolerate fewer edits, or everything would suggest everything ("5+" is not a typo of "1+").
        var allowed = maxDistance ?? (word.Length <= 3 ? 0 : word.Length <= 5 ? 1 : word.Length <= 8 ? 2 : 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            // The distance is at least the difference in length: a far longer input (a 400 kB "name") costs nothing.
            if (Math.Abs(candidate.Length - word.Length) > allowed)
            {
                continue;
            }

            var distance = Distance(word, candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance <= allowed ? best : null;
    }

    /// <summary>Levenshtein distance.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
