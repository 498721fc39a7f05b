using System.Runtime.CompilerServices;
using System.Text;
using Herald.Core.Knowledge;

namespace Herald.Fhir.Medications;

/// <summary>
/// Finds knowledge-base agents named in free text ("ado-trastuzumab emtansine 100 MG Injection") by their
/// id, generic name or aliases: case-insensitive, whole words, punctuation read as a word break. Longer
/// names win where names overlap, so "trastuzumab emtansine" does not also yield trastuzumab and
/// "nab-paclitaxel" does not also yield paclitaxel.
/// </summary>
internal sealed class AgentTextMatcher
{
    private static readonly ConditionalWeakTable<KnowledgeBase, AgentTextMatcher> Cache = new();

    // Longest phrase first: the first phrase to claim a stretch of text owns it.
    private readonly (string Phrase, Agent Agent)[] phrases;

    private AgentTextMatcher(KnowledgeBase kb)
    {
        var byPhrase = new Dictionary<string, Agent>(StringComparer.Ordinal);
        foreach (var agent in kb.Agents)
        {
            foreach (var name in agent.Aliases.Append(agent.Name).Append(agent.Id))
            {
                var phrase = Normalize(name);
                if (phrase.Length > 0)
                {
                    byPhrase.TryAdd(phrase, agent);
                }
            }
        }

        phrases = byPhrase
            .Select(p => (p.Key, p.Value))
            .OrderByDescending(p => p.Key.Length)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToArray();
    }

    public static AgentTextMatcher For(KnowledgeBase kb) => Cache.GetValue(kb, k => new AgentTextMatcher(k));

    /// <summary>The agents named in the text, in order of first mention, each once.</summary>
    public IReadOnlyList<Agent> Match(string text)
    {
        // Padded with spaces so every phrase match can be checked as " phrase ".
        var haystack = " " + Normalize(text) + " ";
        var claimed = new bool[haystack.Length];
        var found = new List<(int At, Agent Agent)>();
        foreach (var (phrase, agent) in phrases)
        {
            var needle = " " + phrase + " ";
            var from = 0;
            while (from < haystack.Length)
            {
                var at = haystack.IndexOf(needle, from, StringComparison.Ordinal);
                if (at < 0)
                {
                    break;
                }

                // The phrase itself starts after the leading space; neighbouring matches may share a space.
                var start = at + 1;
                if (!claimed.AsSpan(start, phrase.Length).Contains(true))
                {
                    claimed.AsSpan(start, phrase.Length).Fill(true);
                    found.Add((start, agent));
                }

                from = at + 1;
            }
        }

        return found
            .OrderBy(f => f.At)
            .Select(f => f.Agent)
            .Distinct()
            .ToList();
    }

    /// <summary>Lowercase letters and digits; every run of anything else becomes one space.</summary>
    internal static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(char.ToLowerInvariant(c));
                pendingSpace = false;
            }
            else
            {
                pendingSpace = true;
            }
        }

        return sb.ToString();
    }
}
